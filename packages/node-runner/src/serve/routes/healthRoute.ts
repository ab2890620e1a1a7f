import * as tf from '@tensorflow/tfjs-core';
import type { FastifyInstance } from 'fastify';
import { HealthSchema } from '../http/wireSchemas.ts';
import type { RunnerContext } from '../RunnerContext.ts';

/** `GET /v1/health`, without a token: editors use it to find the runner and show what it can do. */
export function registerHealthRoute(app: FastifyInstance, ctx: RunnerContext): void {
  const { config } = ctx;
  app.get('/v1/health', { schema: { response: { 200: HealthSchema } }, config: { auth: 'none' } }, async () => {
    const { numTensors, numBytes } = tf.memory();
    return {
      name: 'pastiche' as const,
      version: ctx.version,
      backend: ctx.backend.name,
      gpu: ctx.backend.name.startsWith('onnx-') && ctx.backend.name !== 'onnx-cpu' && !ctx.backend.software,
      models: ctx.models,
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
      memory: { numTensors, numBytes },
    };
  });
}
