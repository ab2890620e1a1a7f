import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorReplySchema } from '@pastiche/web-bridge/wire';

export const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';
export const ALLOWED_HEADERS = 'Authorization, Content-Type, Last-Event-ID';
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * CORS preflights for every path. The security hook has already refused foreign origins (403) and set
 * Access-Control-Allow-Origin; Chrome's Private Network Access asks public pages (Photopea) for
 * `Access-Control-Allow-Private-Network` before they may reach localhost.
 */
export function registerPreflightRoute(app: FastifyInstance): void {
  app.options(
    '/*',
    {
      schema: {
        headers: Type.Object({
          'access-control-request-method': Type.Optional(Type.String()),
          'access-control-request-headers': Type.Optional(Type.String()),
          'access-control-request-private-network': Type.Optional(Type.String()),
        }),
        response: { '4xx': ErrorReplySchema },
      },
      config: { auth: 'none' },
    },
    async (request, reply) => {
      reply
        .header('Access-Control-Allow-Methods', ALLOWED_METHODS)
        .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
        .header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S))
        .header('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network');
      if (request.headers['access-control-request-private-network'] === 'true') reply.header('Access-Control-Allow-Private-Network', 'true');
      return reply.code(204).send();
    },
  );
}
