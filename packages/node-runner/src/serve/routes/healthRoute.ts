import type { FastifyInstance } from 'fastify';
import { HealthSchema, type Health } from '@pastiche/web-bridge/wire';
import { isGpu } from '../../backend/selectBackend.ts';
import type { RunnerContext } from '../RunnerContext.ts';

/** `GET /v1/health`, without a token: editors use it to find the runner and show what it can do. */
export function registerHealthRoute(app: FastifyInstance, ctx: RunnerContext): void {
  const { config } = ctx;
  app.get('/v1/health', { schema: { response: { 200: HealthSchema } }, config: { auth: 'none' } }, async (): Promise<Health> => ({
    name: 'pastiche',
    version: ctx.version,
    backend: ctx.backend.name,
    gpu: isGpu(ctx.backend),
    device: ctx.backend.device,
    models: ctx.models,
    backends: ctx.engines.info.backends,
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
    queue: ctx.queue.counts(),
    engine: ctx.engines.health(),
  }));
}
