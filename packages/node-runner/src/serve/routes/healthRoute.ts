import type { FastifyInstance } from 'fastify';
import { HealthSchema, type Health, type PoolHealth } from '@pastiche/web-bridge/wire';
import { optionalCallerOf } from '../http/createSecurityHook.ts';
import type { RunnerContext } from '../RunnerContext.ts';
import type { Caller } from '../../queue/Caller.ts';
import { maySeeJob } from './findJob.ts';

/**
 * `GET /v1/health`, without a token: editors use it to find the runner and show what it can do. The queue is
 * counts only; the pool's workers list only the jobs of the caller (a token is optional here; operators see all).
 */
export function registerHealthRoute(app: FastifyInstance, ctx: RunnerContext): void {
  const { config } = ctx;
  app.get('/v1/health', { schema: { response: { 200: HealthSchema } }, config: { auth: 'optional-bearer' } }, async (request): Promise<Health> => {
    const { backend, gpu, device, backends, calibration, engine, pool } = await ctx.painters();
    return {
      name: 'pastiche',
      version: ctx.version,
      backend,
      gpu,
      device,
      models: ctx.models,
      ...(calibration && { calibration }),
      backends,
      limits: {
        maxSide: config.maxSide,
        maxPixels: config.maxPixels,
        maxBodyMb: config.maxBodyMb,
        maxStyles: config.maxStyles,
        maxEvaluations: config.maxEvaluations,
        maxJobSeconds: config.maxJobSeconds,
        queueCap: config.queueCap,
        userQueueCap: config.userQueueCap,
        userMaxSide: config.userMaxSide,
        concurrency: config.concurrency,
        keepResultsMinutes: config.keepResultsMinutes,
      },
      // The pool's counts come from Redis: while it is down they are unknown (zeros), and `pool` says why.
      queue: pool && !pool.queue.available ? { queued: 0, running: 0, kept: 0 } : await ctx.queue.counts().catch((error) => {
        if (!pool) throw error;
        return { queued: 0, running: 0, kept: 0 };
      }),
      engine,
      ...(pool ? { pool: await onlyVisibleJobs(ctx, pool, optionalCallerOf(request)) } : {}),
    };
  });
}

async function onlyVisibleJobs(ctx: RunnerContext, pool: PoolHealth, caller: Caller | undefined): Promise<PoolHealth> {
  if (caller?.operator) return pool;
  const visible = async (id: string) => {
    if (!caller) return false;
    const job = await ctx.queue.get(id).catch(() => undefined);
    return job !== undefined && maySeeJob(caller, job.owner);
  };
  const workers = await Promise.all(
    pool.workers.map(async (worker) => ({ ...worker, jobs: (await Promise.all(worker.jobs.map(async (id) => ((await visible(id)) ? [id] : [])))).flat() })),
  );
  return { ...pool, workers };
}
