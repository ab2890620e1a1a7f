import type { FastifyInstance } from 'fastify';
import { HealthSchema, type Health } from '@pastiche/web-bridge/wire';
import type { RunnerContext } from '../RunnerContext.ts';

/** `GET /v1/health`, without a token: editors use it to find the runner and show what it can do. */
export function registerHealthRoute(app: FastifyInstance, ctx: RunnerContext): void {
  const { config } = ctx;
  app.get('/v1/health', { schema: { response: { 200: HealthSchema } }, config: { auth: 'none' } }, async (): Promise<Health> => {
    const { backend, gpu, device, backends, engine, pool } = await ctx.painters();
    return {
      name: 'pastiche',
      version: ctx.version,
      backend,
      gpu,
      device,
      models: ctx.models,
      backends,
      limits: {
        maxSide: config.maxSide,
        maxPixels: config.maxPixels,
        maxBodyMb: config.maxBodyMb,
        maxStyles: config.maxStyles,
        maxEvaluations: config.maxEvaluations,
        maxJobSeconds: config.maxJobSeconds,
        queueCap: config.queueCap,
        concurrency: config.concurrency,
        keepResultsMinutes: config.keepResultsMinutes,
      },
      // The pool's counts come from Redis: while it is down they are unknown (zeros), and `pool` says why.
      queue: pool && !pool.queue.available ? { queued: 0, running: 0, kept: 0 } : await ctx.queue.counts().catch((error) => {
        if (!pool) throw error;
        return { queued: 0, running: 0, kept: 0 };
      }),
      engine,
      ...(pool ? { pool } : {}),
    };
  });
}
