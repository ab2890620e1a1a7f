import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { registerHealthRoute } from '../routes/healthRoute.ts';
import { registerPairingRoute } from '../routes/pairingRoute.ts';
import { registerJobRoutes } from '../routes/jobRoutes.ts';
import { registerModelRoutes } from '../routes/modelRoutes.ts';
import { registerPhotopeaRoutes } from '../routes/photopeaRoutes.ts';
import { registerPreflightRoute } from '../routes/preflightRoute.ts';
import { registerSubmitJobRoute } from '../routes/submitJobRoute.ts';
import { BUILT_IN_ORIGINS } from '../runnerConfig.ts';
import type { RunnerContext } from '../RunnerContext.ts';
import { allowedHostHeaders } from './allowedHostHeaders.ts';
import { answerStalledRequests } from './answerStalledRequests.ts';
import { createErrorHandler } from './handleError.ts';
import { createSecurityHook, type SecurityPolicy } from './createSecurityHook.ts';
import { HttpError } from '../../errors/HttpError.ts';
import { typeboxValidatorCompiler } from './typeboxValidatorCompiler.ts';

/** The fastify app with every route, the security hook and one error shape; not yet listening. */
export function createHttpServer(ctx: RunnerContext, identify: SecurityPolicy['identify']): FastifyInstance {
  const app = Fastify({
    logger: false, // URLs may carry ?token=: the runner logs jobs itself
    bodyLimit: Math.floor(ctx.config.maxBodyMb * 1024 * 1024),
    exposeHeadRoutes: false, // a HEAD on the event stream would open one
    forceCloseConnections: true,
    // A connection that sends nothing for this long is cut (a stalled body above all); event streams lift it.
    connectionTimeout: Math.round(ctx.config.bodyTimeoutSeconds * 1000),
    // An idle keep-alive connection is closed no later, and clients are told so (Keep-Alive: timeout=N): a
    // client that believed a longer one would send its next request on a socket being closed.
    keepAliveTimeout: Math.round(ctx.config.bodyTimeoutSeconds * 1000),
    requestTimeout: Math.round(ctx.config.requestTimeoutSeconds * 1000),
    routerOptions: { maxParamLength: 300 },
  });
  answerStalledRequests(app.server, ctx.config.bodyTimeoutSeconds);
  app.setValidatorCompiler(typeboxValidatorCompiler);
  // Response schemas document the wire format; replies go out as built, never with fields silently dropped.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Only POST /v1/jobs reads a body (its parser is registered in that route's own scope, after the security
  // hook has checked the token): a body sent anywhere else is a 415, unread.
  app.removeAllContentTypeParsers();
  let hosts: ReadonlySet<string> | undefined;
  app.addHook('onRequest', createSecurityHook({
    identify,
    allowedOrigins: new Set([...BUILT_IN_ORIGINS, ...ctx.config.allowOrigins]),
    allowedHosts: () => (hosts ??= allowedHostHeaders(ctx.config.host, (app.server.address() as AddressInfo).port)),
  }));
  // A reply sent before its request's body has arrived (a 401, a 413, a 415: the body is not wanted) closes
  // the connection, or Node would go on reading the rest of the body to discard it, without a timeout.
  app.addHook('onSend', async (request, reply) => {
    if (!request.raw.complete) reply.header('Connection', 'close');
  });
  app.setErrorHandler(createErrorHandler(ctx.config.maxBodyMb, ctx.log));
  app.setNotFoundHandler(async (request) => {
    throw new HttpError(404, `no route ${request.method} ${request.url.split('?')[0]}; the API is under /v1 (GET /v1/health lists what this runner offers)`);
  });

  registerPreflightRoute(app);
  registerHealthRoute(app, ctx);
  registerPairingRoute(app);
  registerSubmitJobRoute(app, ctx);
  registerJobRoutes(app, ctx);
  registerModelRoutes(app, ctx);
  registerPhotopeaRoutes(app, ctx);
  return app;
}
