import type { FastifyInstance } from 'fastify';

/**
 * `GET /v1/pairing`: 204 when the Bearer token is right (the security hook answers 401 otherwise), so a
 * plugin can check a pasted token without touching any job.
 */
export function registerPairingRoute(app: FastifyInstance): void {
  app.get('/v1/pairing', async (_request, reply) => reply.code(204).send());
}
