import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentedToken } from './presentedToken.ts';
import { HttpError } from '../../errors/HttpError.ts';
import type { Caller } from '../../queue/Caller.ts';

/**
 * Who may call a route: nobody needs a token for preflights; health takes one if given (a caller sees their own
 * jobs there, a wrong token is only anonymous); EventSource and <img> use `?token=`.
 */
export type RouteAuth = 'none' | 'optional-bearer' | 'bearer' | 'bearer-or-query';

export interface SecurityPolicy {
  /** The token's caller (the pairing token's operator or a user), or undefined for a wrong one. */
  identify(token: string): Promise<Caller | undefined>;
  allowedOrigins: ReadonlySet<string>;
  allowedHosts(): ReadonlySet<string>;
}

/**
 * Every request, in this order: the Host header must be ours (DNS rebinding), a browser's Origin must be
 * allowed (any web page the user opens can reach localhost), then the route's token rule. Allowed
 * origins get CORS headers on every reply, errors and event streams included (set on the raw response so
 * that hijacked replies carry them too).
 */
export function createSecurityHook(policy: SecurityPolicy) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!policy.allowedHosts().has(host)) {
      throw new HttpError(403, `Host "${host}" is not an address of this runner (allowed: ${[...policy.allowedHosts()].join(', ')}); refused against DNS rebinding`, 'host');
    }
    reply.raw.setHeader('Vary', 'Origin');
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!policy.allowedOrigins.has(origin)) {
        throw new HttpError(403, `Origin ${origin} may not use this runner (allowed: ${[...policy.allowedOrigins].join(', ')}; add one with --allow-origin)`, 'origin');
      }
      reply.raw.setHeader('Access-Control-Allow-Origin', origin);
      reply.raw.setHeader('Access-Control-Expose-Headers', 'Location, Retry-After, Content-Length');
    }
    const auth = ((request.routeOptions.config as { auth?: RouteAuth } | undefined)?.auth ?? 'bearer') as RouteAuth;
    if (auth === 'none') return;
    const given = presentedToken(request, auth === 'bearer-or-query');
    if (auth === 'optional-bearer') {
      const caller = given === undefined ? undefined : await policy.identify(given).catch(() => undefined);
      if (caller) callers.set(request, caller);
      return;
    }
    const caller = given === undefined ? undefined : await policy.identify(given);
    if (caller === undefined) {
      const where = auth === 'bearer-or-query' ? 'an Authorization: Bearer header or ?token=' : 'an Authorization: Bearer header';
      throw new HttpError(401, `missing or wrong pairing token: send it in ${where} (printed by pastiche serve at start, or issued with pastiche token add)`, 'authorization');
    }
    callers.set(request, caller);
  };
}

const callers = new WeakMap<FastifyRequest, Caller>();
/** Who a request was let in as (the security hook ran first). */
export const callerOf = (request: FastifyRequest): Caller => callers.get(request)!;
/** Who an 'optional-bearer' request comes from; undefined when it showed no right token. */
export const optionalCallerOf = (request: FastifyRequest): Caller | undefined => callers.get(request);
