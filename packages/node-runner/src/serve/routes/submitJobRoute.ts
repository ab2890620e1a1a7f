import type { FastifyInstance } from 'fastify';
import { validateOptions, validateRequest } from '@pastiche/core';
import { ErrorReplySchema, JOB_CONTENT_TYPE, JobAcceptedSchema, JobHeaderSchema, parseJobEnvelope, type JobEnvelope, type JobHeader } from '@pastiche/web-bridge/wire';
import { callerOf } from '../http/createSecurityHook.ts';
import { jobAcceptedView } from '../http/jobStatusView.ts';
import { checkJobLimits } from '../jobs/checkJobLimits.ts';
import { checkLayersPresent } from '../jobs/checkLayersPresent.ts';
import { decodeJobImage } from '../jobs/decodeJobImage.ts';
import type { RunnerContext } from '../RunnerContext.ts';

const PREVIEW_DEFAULTS = { every: 10, maxSide: 256 };
/** Images are fully decoded at submission (small, to spare memory) so that a corrupt file is a 400 now, not a failed job later. */
const VALIDATION_SIDE = 64;

/**
 * `POST /v1/jobs`: checks everything a job needs (schema, limits, layers, images, sizes), queues it, answers
 * 202. Its body parser lives in this route's own scope: no other route reads a body, and this one only
 * after the security hook has accepted the token.
 */
export function registerSubmitJobRoute(app: FastifyInstance, ctx: RunnerContext): void {
  app.register(async (scope) => {
    const envelopes = new WeakMap<object, JobEnvelope>();
    const bodyLimit = Math.floor(ctx.config.maxBodyMb * 1024 * 1024);
    scope.addContentTypeParser(JOB_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
      try {
        const envelope = parseJobEnvelope(body as Buffer);
        envelopes.set(request, envelope);
        done(null, envelope.header);
      } catch (error) {
        done(error as Error, undefined);
      }
    });

    scope.post(
      '/v1/jobs',
      {
        schema: { body: JobHeaderSchema, response: { 202: JobAcceptedSchema, '4xx': ErrorReplySchema, '5xx': ErrorReplySchema } },
        config: { auth: 'bearer' },
      },
      async (request, reply) => {
        const header = request.body as JobHeader;
        const envelope = envelopes.get(request)!;
        const caller = callerOf(request);
        const options = validateOptions(header.options ?? {});
        checkJobLimits(header.styles.length, options, ctx.config, caller);
        // In a pool with no worker announced yet, the worker that takes the job checks its layers (a bad one fails it, unretried).
        const { models } = await ctx.painters();
        if (models) checkLayersPresent(models, options);
        await ctx.queue.assertRoom(caller);

        const content = await decodeJobImage(envelope.content, 'content', ctx.config, VALIDATION_SIDE);
        const decode = (bytes: Uint8Array | undefined, field: string) => bytes && decodeJobImage(bytes, field, ctx.config, VALIDATION_SIDE);
        const styleImages = await Promise.all(envelope.styles.map((bytes, i) => decode(bytes, `styles[${i}]`)!));
        const styleMasks = await Promise.all(envelope.styleMasks.map((bytes, i) => decode(bytes, `styles[${i}].mask`)));
        const styles = header.styles.map((s, i) => ({ image: styleImages[i], weight: s.weight ?? 1, mask: styleMasks[i] }));
        // The engine's own checks (working sizes and empty masks included), so that a queued job cannot be refused later.
        validateRequest({ content, styles, contentMask: await decode(envelope.contentMask, 'contentMask'), options: header.options });

        const job = await ctx.queue.submit({
          content: envelope.content,
          ...(envelope.contentMask && { contentMask: envelope.contentMask }),
          styles: styles.map((s, i) => ({ bytes: envelope.styles[i], weight: s.weight, ...(envelope.styleMasks[i] && { mask: envelope.styleMasks[i] }) })),
          options: { ...header.options, seed: options.seed },
          contentSide: options.size,
          styleSide: Math.ceil(options.size * options.styleScale),
          preview: { ...PREVIEW_DEFAULTS, ...header.preview },
        }, caller);
        reply.code(202).header('Location', `/v1/jobs/${job.id}`);
        return jobAcceptedView(job);
      },
    );
  });
}
