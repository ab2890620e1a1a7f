import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { NODE_BACKEND_NAMES, StylizeOptionsSchema } from '@pastiche/core';
import { BackendListingSchema, EvaluationCalibrationSchema, JobErrorSchema, JobPreviewSchema, JobProgressSchema, JobStatsSchema } from '@pastiche/web-bridge/wire';

/**
 * The messages between a server (`pastiche serve`, later `pastiche worker`) and the engine process it forks
 * (child_process.fork, serialization 'advanced': images travel as Uint8Array, not base64). One engine paints
 * one job at a time:
 *
 *   server → engine   load {settings}          once, first
 *   engine → server   ready {backend, models, memory} | loadFailed {message}, then exits
 *   server → engine   run {jobId, job, checkpoint?}  only when the engine is idle; with `checkpoint`, the engine
 *                                               writes the run's checkpoints to its file (atomically) and, with
 *                                               `resume`, first continues the one there
 *   engine → server   progress*, preview*, checkpoint* (one written), then done | failed | cancelled, each with
 *                     the engine's memory
 *                     once the job's tensors are released (the engine is idle from then on; after a failed
 *                     with restart: true it exits instead: its backend may be broken)
 *   server → engine   cancel {jobId, keep?}    the engine stops at its next evaluation (with `keep`, after writing
 *                                               its last step to the checkpoint file); the server kills it if it
 *                                               has not answered within its grace
 *
 * Both ends check every message against these schemas. An engine that dies is seen by the server as its
 * 'exit' (code or signal), whatever it was doing.
 */

const MemorySchema = Type.Object({ numTensors: Type.Integer(), numBytes: Type.Number() });
export type EngineMemory = Static<typeof MemorySchema>;

export const EngineSettingsSchema = Type.Object({
  backend: Type.Union([Type.Literal('auto'), ...NODE_BACKEND_NAMES.map((b) => Type.Literal(b))]),
  models: Type.Array(Type.Union([Type.Literal('vgg16'), Type.Literal('vgg19')]), { minItems: 1 }),
  /** --weights as given (the engine resolves it itself; a download is cached by the server's first resolve). */
  weights: Type.Optional(Type.String()),
  /** Image limits the engine checks again when it decodes the job's images. */
  maxSide: Type.Integer(),
  maxPixels: Type.Integer(),
  /** Checkpoint every this many evaluations exactly (`pastiche worker --checkpoint-every`); default the core's rule. */
  checkpointEvery: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type EngineSettings = Static<typeof EngineSettingsSchema>;

/**
 * An image file as uploaded: its bytes (a pool worker's, fetched from the pool's store), or the file on this
 * machine that holds them (`pastiche serve` keeps uploads on disk until their job is painted: the engine reads them).
 */
export const JobImageSchema = Type.Union([Type.Uint8Array(), Type.Object({ file: Type.String({ minLength: 1 }) })]);
export type JobImage = Static<typeof JobImageSchema>;

/** What sharp reads: the bytes, or the file's path. */
export const imageSource = (image: JobImage): Uint8Array | string => (image instanceof Uint8Array ? image : image.file);

/** The job with each image file's path replaced by `map`'s (bytes stay as they are): the one list of a job's image fields. */
export function mapJobImageFiles(job: EngineJob, map: (file: string) => string): EngineJob {
  const image = <T extends JobImage | undefined>(i: T): T => (i === undefined || i instanceof Uint8Array ? i : ({ file: map(i.file) } as T));
  return {
    ...job,
    content: image(job.content),
    ...(job.contentMask && { contentMask: image(job.contentMask) }),
    ...(job.initImage && { initImage: image(job.initImage) }),
    styles: job.styles.map((s) => ({ ...s, bytes: image(s.bytes), ...(s.mask && { mask: image(s.mask) }) })),
  };
}

/** The files a job's images are read from (none for a job that carries its bytes). */
export function jobImageFiles(job: EngineJob): string[] {
  const files: string[] = [];
  mapJobImageFiles(job, (file) => (files.push(file), file));
  return files;
}

/** A job as the engine paints it: the image files as uploaded, the options with the seed fixed. */
export const EngineJobSchema = Type.Object({
  content: JobImageSchema,
  /** Mask files, decoded at the content's side. */
  contentMask: Type.Optional(JobImageSchema),
  /** The image the run starts from (options.init "image"), decoded at the content's side. */
  initImage: Type.Optional(JobImageSchema),
  styles: Type.Array(Type.Object({ bytes: JobImageSchema, weight: Type.Number(), mask: Type.Optional(JobImageSchema) })),
  options: StylizeOptionsSchema,
  /** Longest side the content and the style images are decoded at (size, size × styleScale). */
  contentSide: Type.Integer(),
  styleSide: Type.Integer(),
  preview: Type.Object({ every: Type.Integer(), maxSide: Type.Integer() }),
});
export type EngineJob = Static<typeof EngineJobSchema>;

const PaintedSchema = Type.Object({ png: Type.Uint8Array(), width: Type.Integer(), height: Type.Integer(), stats: JobStatsSchema });
/** What a succeeded job leaves: its PNG, size and stats. */
export type Painted = Static<typeof PaintedSchema>;

const EngineModelSchema = Type.Object({ name: Type.Union([Type.Literal('vgg16'), Type.Literal('vgg19')]), layers: Type.Array(Type.String()) });
export type EngineModel = Static<typeof EngineModelSchema>;

const ReadySchema = Type.Object({
  type: Type.Literal('ready'),
  backend: Type.Object({
    name: Type.Union(NODE_BACKEND_NAMES.map((b) => Type.Literal(b))),
    device: Type.String(),
    threads: Type.Optional(Type.Integer()),
    maxTensorBytes: Type.Optional(Type.Number()),
    software: Type.Optional(Type.Boolean()),
    skipped: Type.Array(Type.Object({ name: Type.Union(NODE_BACKEND_NAMES.map((b) => Type.Literal(b))), reason: Type.String() })),
  }),
  /** Each model loaded, with the conv layers its weights have. */
  models: Type.Array(EngineModelSchema),
  /** Every engine of this machine, as `pastiche backends` lists them. */
  backends: Type.Array(BackendListingSchema),
  /** Evaluations timed when the engine loaded (createCoreEngine); absent if that failed. */
  calibration: Type.Optional(EvaluationCalibrationSchema),
  memory: MemorySchema,
});
export type EngineReady = Static<typeof ReadySchema>;

/**
 * Where a job's checkpoints go: a file of the machine, rewritten (write, then rename) at each checkpoint. `resume`:
 * the file holds the checkpoint of an earlier attempt, which the run continues (one the engine cannot continue, from
 * another version or engine, is reported and the run starts afresh).
 */
export const EngineCheckpointSchema = Type.Object({ file: Type.String({ minLength: 1 }), resume: Type.Boolean() });
export type EngineCheckpoint = Static<typeof EngineCheckpointSchema>;

export const ToEngineSchema = Type.Union([
  Type.Object({ type: Type.Literal('load'), settings: EngineSettingsSchema }),
  Type.Object({ type: Type.Literal('run'), jobId: Type.String(), job: EngineJobSchema, checkpoint: Type.Optional(EngineCheckpointSchema) }),
  /** `keep`: the job is to be continued later: its last step goes to the checkpoint file before it stops. */
  Type.Object({ type: Type.Literal('cancel'), jobId: Type.String(), keep: Type.Optional(Type.Boolean()) }),
]);
export type ToEngine = Static<typeof ToEngineSchema>;

export const FromEngineSchema = Type.Union([
  ReadySchema,
  Type.Object({ type: Type.Literal('loadFailed'), message: Type.String() }),
  Type.Object({ type: Type.Literal('progress'), jobId: Type.String(), progress: JobProgressSchema }),
  Type.Object({ type: Type.Literal('preview'), jobId: Type.String(), preview: JobPreviewSchema }),
  /** A checkpoint is in the file, taken after `totalEvaluations` evaluations. */
  Type.Object({ type: Type.Literal('checkpoint'), jobId: Type.String(), totalEvaluations: Type.Integer() }),
  /** The checkpoint to resume was refused (why); the run started afresh. */
  Type.Object({ type: Type.Literal('resumeRefused'), jobId: Type.String(), reason: Type.String() }),
  Type.Composite([Type.Object({ type: Type.Literal('done'), jobId: Type.String(), memory: MemorySchema }), PaintedSchema]),
  Type.Object({ type: Type.Literal('failed'), jobId: Type.String(), memory: MemorySchema, error: JobErrorSchema, restart: Type.Boolean() }),
  Type.Object({ type: Type.Literal('cancelled'), jobId: Type.String(), memory: MemorySchema }),
]);
export type FromEngine = Static<typeof FromEngineSchema>;

export const isToEngine = TypeCompiler.Compile(ToEngineSchema);
export const isFromEngine = TypeCompiler.Compile(FromEngineSchema);
