import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { StylizeOptionsSchema } from '@pastiche/core';
import { BackendListingSchema, JobErrorSchema, JobPreviewSchema, JobStatsSchema, PoolWorkerSchema } from '@pastiche/web-bridge/wire';

/**
 * What `pastiche serve --queue` and `pastiche worker` exchange through Redis, checked on reading at both ends:
 * a BullMQ job's data and return value, the preview messages, the workers' announcements.
 */

/** Where stored bytes are: a Redis key, or a file in the shared --store directory. */
export const BlobRefSchema = Type.Union([
  // `parts`: a blob over Redis's largest string, in `key`, `key:1`, … (createBlobStore.ts).
  Type.Object({ store: Type.Literal('redis'), key: Type.String(), parts: Type.Optional(Type.Integer({ minimum: 2 })) }),
  Type.Object({ store: Type.Literal('dir'), file: Type.String({ pattern: '^[A-Za-z0-9._-]+$' }) }),
]);
export type BlobRef = Static<typeof BlobRefSchema>;

/**
 * A BullMQ job's data: the settings, and where its images are, in one blob: the content's bytes, then each style's
 * followed by its mask's (if it has one), then the content mask's (if any), then the init image's (if any).
 */
export const PoolJobDataSchema = Type.Object({
  owner: Type.String(),
  options: StylizeOptionsSchema,
  seed: Type.Integer(),
  contentSide: Type.Integer(),
  styleSide: Type.Integer(),
  preview: Type.Object({ every: Type.Integer(), maxSide: Type.Integer() }),
  contentBytes: Type.Integer({ minimum: 1 }),
  styles: Type.Array(Type.Object({ weight: Type.Number(), bytes: Type.Integer({ minimum: 1 }), maskBytes: Type.Optional(Type.Integer({ minimum: 1 })) })),
  contentMaskBytes: Type.Optional(Type.Integer({ minimum: 1 })),
  initImageBytes: Type.Optional(Type.Integer({ minimum: 1 })),
  images: BlobRefSchema,
  /** The server's --max-job-seconds and --keep-results-minutes: the worker applies them. */
  maxJobSeconds: Type.Number(),
  keepResultsMs: Type.Number(),
});
export type PoolJobData = Static<typeof PoolJobDataSchema>;

/**
 * A BullMQ job's return value: how the job ended for the user. A job that ends for good (painted, refused,
 * cancelled, or failed on its last attempt) completes in BullMQ with one of these; only an attempt that will be
 * retried throws, and BullMQ's own `failed` is left for jobs it gives up (a worker lost too often).
 */
export const PoolOutcomeSchema = Type.Union([
  Type.Object({
    state: Type.Literal('succeeded'),
    worker: Type.String(),
    result: Type.Object({ ref: BlobRefSchema, width: Type.Integer(), height: Type.Integer(), bytes: Type.Integer(), stats: JobStatsSchema }),
  }),
  Type.Object({ state: Type.Literal('failed'), worker: Type.String(), error: JobErrorSchema }),
  Type.Object({ state: Type.Literal('cancelled'), worker: Type.String(), reason: Type.String() }),
]);
export type PoolOutcome = Static<typeof PoolOutcomeSchema>;

export const PoolPreviewMessageSchema = Type.Object({ jobId: Type.String(), preview: JobPreviewSchema });
export type PoolPreviewMessage = Static<typeof PoolPreviewMessageSchema>;

/** A worker's announcement: what health lists, and its models' layers (the server checks a job's layers at submission). */
export const WorkerAnnouncementSchema = Type.Composite([
  PoolWorkerSchema,
  Type.Object({
    models: Type.Array(Type.Object({ name: Type.Union([Type.Literal('vgg16'), Type.Literal('vgg19')]), layers: Type.Array(Type.String()) })),
    backends: Type.Array(BackendListingSchema),
  }),
]);
export type WorkerAnnouncement = Static<typeof WorkerAnnouncementSchema>;

export const isPoolJobData = TypeCompiler.Compile(PoolJobDataSchema);
export const isPoolOutcome = TypeCompiler.Compile(PoolOutcomeSchema);
export const isPoolPreviewMessage = TypeCompiler.Compile(PoolPreviewMessageSchema);
export const isWorkerAnnouncement = TypeCompiler.Compile(WorkerAnnouncementSchema);
