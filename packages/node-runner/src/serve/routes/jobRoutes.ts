import type { FastifyInstance } from 'fastify';
import { callerOf } from '../http/createSecurityHook.ts';
import { HttpError } from '../../errors/HttpError.ts';
import { jobStatusView } from '../http/jobStatusView.ts';
import { openEventStream } from '../http/openEventStream.ts';
import { ErrorReplySchema, JobStatusSchema } from '@pastiche/web-bridge/wire';
import { JobParamsSchema, TokenQuerySchema } from '../http/routeParamSchemas.ts';
import type { RunnerContext } from '../RunnerContext.ts';
import { findJob } from './findJob.ts';

type JobRequest = { Params: { id: string } };
const errors = { '4xx': ErrorReplySchema, '5xx': ErrorReplySchema };

/** Status, event stream, result and cancel of one job: each only for its owner or an operator (findJob). */
export function registerJobRoutes(app: FastifyInstance, ctx: RunnerContext): void {
  app.get<JobRequest>(
    '/v1/jobs/:id',
    { schema: { params: JobParamsSchema, response: { 200: JobStatusSchema, ...errors } }, config: { auth: 'bearer' } },
    async (request) => jobStatusView(await findJob(ctx, request.params.id, callerOf(request))),
  );

  app.get<JobRequest>(
    '/v1/jobs/:id/events',
    { schema: { params: JobParamsSchema, querystring: TokenQuerySchema, response: errors }, config: { auth: 'bearer-or-query' } },
    async (request, reply) => {
      const { id } = request.params;
      await openEventStream(reply, ctx.queue, id, () => findJob(ctx, id, callerOf(request)), ctx.config.heartbeatSeconds * 1000, ctx.eventStreams);
    },
  );

  app.get<JobRequest>(
    '/v1/jobs/:id/result',
    { schema: { params: JobParamsSchema, querystring: TokenQuerySchema, response: errors }, config: { auth: 'bearer-or-query' } },
    async (request, reply) => {
      const job = await findJob(ctx, request.params.id, callerOf(request));
      if (job.state !== 'succeeded') {
        const why = {
          queued: `is queued (position ${job.position ?? '?'})`,
          running: 'is still running',
          failed: `failed: ${job.error?.message}`,
          cancelled: 'was cancelled',
          succeeded: '',
        }[job.state];
        throw new HttpError(409, `job ${job.id} ${why}; its result exists once its status is succeeded (watch ${`/v1/jobs/${job.id}/events`})`, 'id');
      }
      const png = await ctx.queue.readResult(job);
      return reply
        .type('image/png')
        .header('Cache-Control', 'no-store')
        .header('Content-Disposition', `inline; filename="pastiche-${job.id}.png"`)
        .send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    },
  );

  app.delete<JobRequest>(
    '/v1/jobs/:id',
    { schema: { params: JobParamsSchema, response: { 200: JobStatusSchema, ...errors } }, config: { auth: 'bearer' } },
    async (request) => {
      const job = await findJob(ctx, request.params.id, callerOf(request));
      // A running job stops at its next evaluation or its engine is killed; a finished one is forgotten.
      return jobStatusView(await ctx.queue.cancel(job));
    },
  );
}
