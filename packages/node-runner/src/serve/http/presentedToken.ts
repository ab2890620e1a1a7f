import type { FastifyRequest } from 'fastify';

/** The token a request presents: a Bearer header, or (where `allowQuery`) `?token=`. */
export function presentedToken(request: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  const query = allowQuery ? (request.query as { token?: unknown } | undefined)?.token : undefined;
  return header ?? (typeof query === 'string' ? query : undefined);
}
