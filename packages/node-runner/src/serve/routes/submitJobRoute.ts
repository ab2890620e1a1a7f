import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validateOptions, validateRequest } from '@pastiche/core';
import { ErrorReplySchema, JOB_CONTENT_TYPE, JobAcceptedSchema, JobHeaderSchema, type JobHeader } from '@pastiche/web-bridge/wire';
import { callerOf } from '../http/createSecurityHook.ts';
import { jobAcceptedView } from '../http/jobStatusView.ts';
import { checkJobLimits } from '../jobs/checkJobLimits.ts';
import { checkLayersPresent } from '../jobs/checkLayersPresent.ts';
import { decodeJobImage } from '../../images/decodeJobImage.ts';
import { decodeJobMask } from '../../images/decodeJobMask.ts';
import { HttpError, limitExceeded } from '../../errors/HttpError.ts';
import type { SpooledEnvelope } from '../uploads/splitJobBody.ts';
import type { UploadReservation } from '../uploads/createUploadSpool.ts';
import type { RunnerContext } from '../RunnerContext.ts';

const PREVIEW_DEFAULTS = { every: 10, maxSide: 256 };
/** Images are fully decoded at submission (small, to spare memory) so that a corrupt file is a 400 now, not a failed job later. */
const VALIDATION_SIDE = 64;

/** One request's upload: the budget it holds, and its files until a queue takes them. */
interface Upload {
  reservation?: UploadReservation;
  envelope?: SpooledEnvelope;
  /** Set when the queue has taken the files (it deletes them when it no longer needs them). */
  queued: boolean;
  /** Set when the response is over (sent, or the client gone): the files are deleted then unless queued. */
  ended: boolean;
}

/**
 * `POST /v1/jobs`: checks everything a job needs (schema, limits, layers, images, sizes), queues it, answers
 * 202. Its body parser lives in this route's own scope: no other route reads a body, and this one only
 * after the security hook has accepted the token, the queue has room and the upload budget can hold the body.
 * The body goes to the spool as it arrives, an image per file; the job keeps those files, not their bytes.
 */
export function registerSubmitJobRoute(app: FastifyInstance, ctx: RunnerContext): void {
  app.register(async (scope) => {
    const uploads = new WeakMap<object, Upload>();
    const maxBytes = Math.floor(ctx.config.maxBodyMb * 1024 * 1024);

    // Whatever happens to the request (answered, refused, client gone), its budget is given back and its files
    // deleted unless a queue took them.
    scope.addHook('onRequest', async (request, reply) => {
      const upload: Upload = { queued: false, ended: false };
      uploads.set(request, upload);
      reply.raw.once('close', () => {
        upload.ended = true;
        upload.reservation?.release();
        if (upload.envelope && !upload.queued) void ctx.uploads.discard(upload.envelope.files).catch((error) => ctx.log(`an upload could not be deleted: ${(error as Error).message}`));
      });
    });

    scope.addContentTypeParser(JOB_CONTENT_TYPE, async (request: FastifyRequest) => {
      const upload = uploads.get(request)!;
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > maxBytes) throw limitExceeded('body', 'maxBodyMb', ctx.config.maxBodyMb, `the request body is larger than ${ctx.config.maxBodyMb} MB`, 413);
      // Refusals that need no body come before it is read.
      await ctx.queue.assertRoom(callerOf(request));
      upload.reservation = ctx.uploads.reserve(declared);
      upload.envelope = await ctx.uploads.receive(request.raw, { maxBytes, idleMs: ctx.config.bodyTimeoutSeconds * 1000 }, upload.reservation);
      if (upload.ended) await ctx.uploads.discard(upload.envelope.files);
      return upload.envelope.header;
    });

    scope.post(
      '/v1/jobs',
      {
        schema: { body: JobHeaderSchema, response: { 202: JobAcceptedSchema, '4xx': ErrorReplySchema, '5xx': ErrorReplySchema } },
        config: { auth: 'bearer' },
      },
      async (request, reply) => {
        const header = request.body as JobHeader;
        const upload = uploads.get(request)!;
        const envelope = upload.envelope!;
        const caller = callerOf(request);
        const options = validateOptions(header.options ?? {});
        checkJobLimits(header.styles.length, options, ctx.config, caller);
        // In a pool with no worker announced yet, the worker that takes the job checks its layers (a bad one fails it, unretried).
        const { models } = await ctx.painters();
        if (models) checkLayersPresent(models, options);
        await ctx.queue.assertRoom(caller);

        // Each image is read from its file by sharp, a few rows at a time, and kept only at 64 px.
        const decode = (file: string, field: string) => decodeJobImage(file, field, ctx.config, VALIDATION_SIDE);
        const decodeMask = async (file: string | undefined, field: string) => (file === undefined ? undefined : decodeJobMask(file, field, ctx.config, VALIDATION_SIDE));
        const content = await decode(envelope.content, 'content');
        const styleImages = await Promise.all(envelope.styles.map((file, i) => decode(file, `styles[${i}]`)));
        const styleMasks = await Promise.all(envelope.styleMasks.map((file, i) => decodeMask(file, `styles[${i}].mask`)));
        const styles = header.styles.map((s, i) => ({ image: styleImages[i], weight: s.weight ?? 1, mask: styleMasks[i] }));
        // The engine's own checks (working sizes and empty masks included), so that a queued job cannot be refused later.
        validateRequest({ content, styles, contentMask: await decodeMask(envelope.contentMask, 'contentMask'), options: header.options });
        if (upload.ended) throw new HttpError(400, 'the client closed the connection before the job was queued', 'body');

        upload.queued = true;
        const job = await ctx.queue
          .submit(
            {
              content: { file: envelope.content },
              ...(envelope.contentMask && { contentMask: { file: envelope.contentMask } }),
              styles: styles.map((s, i) => ({ bytes: { file: envelope.styles[i] }, weight: s.weight, ...(envelope.styleMasks[i] && { mask: { file: envelope.styleMasks[i]! } }) })),
              options: { ...header.options, seed: options.seed },
              contentSide: options.size,
              styleSide: Math.ceil(options.size * options.styleScale),
              preview: { ...PREVIEW_DEFAULTS, ...header.preview },
            },
            caller,
          )
          .catch(async (error) => {
            // The reply may have ended meanwhile (the client gone): the files are not left to it.
            upload.queued = false;
            await ctx.uploads.discard(envelope.files);
            throw error;
          });
        reply.code(202).header('Location', `/v1/jobs/${job.id}`);
        return jobAcceptedView(job);
      },
    );
  });
}
