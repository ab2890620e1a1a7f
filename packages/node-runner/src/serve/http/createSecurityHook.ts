import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentedToken } from './presentedToken.ts';
import { HttpError } from './HttpError.ts';

/** Who may call a route: nobody needs a token for health and preflights; EventSource and <img> use `?token=`. */
export type RouteAuth = 'none' | 'bearer' | 'bearer-or-query';

export interface SecurityPolicy {
  /** The name of the token's owner (the pairing token's or a user's), or undefined for a wrong one. */
  identify(token: string): Promise<string | undefined>;
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
    const owner = given === undefined ? undefined : await policy.identify(given);
    if (owner === undefined) {
      const where = auth === 'bearer-or-query' ? 'an Authorization: Bearer header or ?token=' : 'an Authorization: Bearer header';
      throw new HttpError(401, `missing or wrong pairing token: send it in ${where} (printed by pastiche serve at start, or issued with pastiche token add)`, 'authorization');
    }
    owners.set(request, owner);
  };
}

const owners = new WeakMap<FastifyRequest, string>();
/** The name of the token a request was let in with (the security hook ran first). */
export const ownerOf = (request: FastifyRequest): string => owners.get(request)!;
