import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { registerHealthRoute } from '../routes/healthRoute.ts';
import { registerPairingRoute } from '../routes/pairingRoute.ts';
import { EVENTS_ROUTE, registerJobRoutes } from '../routes/jobRoutes.ts';
import { registerModelRoutes } from '../routes/modelRoutes.ts';
import { registerPhotopeaRoutes } from '../routes/photopeaRoutes.ts';
import { registerPreflightRoute } from '../routes/preflightRoute.ts';
import { registerSubmitJobRoute } from '../routes/submitJobRoute.ts';
import { BUILT_IN_ORIGINS } from '../runnerConfig.ts';
import type { RunnerContext } from '../RunnerContext.ts';
import { allowedHostHeaders } from './allowedHostHeaders.ts';
import { createErrorHandler } from './handleError.ts';
import { createSecurityHook } from './createSecurityHook.ts';
import { HttpError } from './HttpError.ts';
import { typeboxValidatorCompiler } from './typeboxValidatorCompiler.ts';

/** The fastify app with every route, the security hook and one error shape; not yet listening. */
export function createHttpServer(ctx: RunnerContext, token: string): FastifyInstance {
  const app = Fastify({
    logger: false, // URLs may carry ?token=: the runner logs jobs itself
    bodyLimit: Math.floor(ctx.config.maxBodyMb * 1024 * 1024),
    exposeHeadRoutes: false, // a HEAD on the event stream would open one
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 300 },
  });
  app.setValidatorCompiler(typeboxValidatorCompiler);
  // Response schemas document the wire format; replies go out as built, never with fields silently dropped.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.removeAllContentTypeParsers(); // only the job envelope has a body; anything else is a 415

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url === EVENTS_ROUTE) return; // open for the whole job: not work to give way to
    ctx.requests.begin(request.raw);
    reply.raw.once('close', () => ctx.requests.end(request.raw)); // 'close' follows every response, aborted ones included
  });
  let hosts: ReadonlySet<string> | undefined;
  app.addHook('onRequest', createSecurityHook({
    token,
    allowedOrigins: new Set([...BUILT_IN_ORIGINS, ...ctx.config.allowOrigins]),
    allowedHosts: () => (hosts ??= allowedHostHeaders(ctx.config.host, (app.server.address() as AddressInfo).port)),
  }));
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
