import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** Bearer token from the Authorization header, or (where `allowQuery`) from `?token=`; compared in constant time. */
export function hasValidToken(request: FastifyRequest, token: string, allowQuery: boolean): boolean {
  const header = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  const query = allowQuery ? (request.query as { token?: unknown } | undefined)?.token : undefined;
  const given = header ?? (typeof query === 'string' ? query : undefined);
  return given !== undefined && sameSecret(given, token);
}

/** Hashing first gives equal lengths, so timingSafeEqual leaks neither the content nor the length. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
