import { Type, type Static } from '@sinclair/typebox';

/** starting: loading its backend and weights; idle / busy: ready, without or with a job; restarting: after a crash or a kill; failed: could not start (retried). */
export const EngineStateSchema = Type.Union((['starting', 'idle', 'busy', 'restarting', 'failed'] as const).map((s) => Type.Literal(s)));

/** One engine process of the runner (there are --concurrency of them). */
export const EngineHealthSchema = Type.Object({
  state: EngineStateSchema,
  pid: Type.Union([Type.Integer(), Type.Null()]),
  /** Times this engine was replaced: a crash, a kill past the wall time or a cancel grace, a broken backend. */
  restarts: Type.Integer(),
  lastExit: Type.Union([Type.String(), Type.Null()]),
  memory: Type.Union([Type.Object({ numTensors: Type.Integer(), numBytes: Type.Number() }), Type.Null()]),
});
export type EngineHealth = Static<typeof EngineHealthSchema>;

export const RunnerLimitsSchema = Type.Object({
  maxSide: Type.Integer(),
  maxPixels: Type.Integer(),
  maxBodyMb: Type.Number(),
  maxStyles: Type.Integer(),
  maxEvaluations: Type.Integer(),
  maxJobSeconds: Type.Number(),
  queueCap: Type.Integer(),
  /** Per-user quotas: jobs one user token may have waiting, the longest side it may ask for. */
  userQueueCap: Type.Integer(),
  userMaxSide: Type.Integer(),
  concurrency: Type.Integer(),
  keepResultsMinutes: Type.Number(),
});

/** One engine as `pastiche backends` lists it: whether it loads here, on what, how large it paints. */
export const BackendListingSchema = Type.Object({
  name: Type.String(),
  loads: Type.Boolean(),
  /** The one `--backend auto` picks. */
  auto: Type.Boolean(),
  /** Why it does not load, or why auto passes over it (a software GPU). */
  reason: Type.Optional(Type.String()),
  device: Type.Optional(Type.String()),
  /** The device's largest buffer (GPUs), bytes. */
  maxTensorBytes: Type.Optional(Type.Number()),
  /** The longest side the device's largest buffer allows (GPUs); memory bounds the others. */
  largestSide: Type.Optional(Type.Integer()),
});
export type BackendListing = Static<typeof BackendListingSchema>;

/** A `pastiche worker` as it announces itself to the pool (every few seconds, in Redis). */
export const PoolWorkerSchema = Type.Object({
  name: Type.String(),
  host: Type.String(),
  pid: Type.Integer(),
  startedAt: Type.String(),
  /** running: takes jobs; draining: shutting down, finishes or hands back what it runs. */
  state: Type.Union([Type.Literal('running'), Type.Literal('draining')]),
  backend: Type.String(),
  device: Type.String(),
  gpu: Type.Boolean(),
  concurrency: Type.Integer(),
  /** Ids of the jobs it paints now; in health, only the caller's own (all of them for an operator). */
  jobs: Type.Array(Type.String()),
  engine: Type.Object({ restarts: Type.Integer(), processes: Type.Array(EngineHealthSchema) }),
});
export type PoolWorker = Static<typeof PoolWorkerSchema>;

/** `pastiche serve --queue`: the shared queue and the workers that paint its jobs. */
export const PoolHealthSchema = Type.Object({
  queue: Type.Object({
    kind: Type.Literal('redis'),
    /** The Redis URL without its password. */
    url: Type.String(),
    available: Type.Boolean(),
    /** Why it is not. */
    error: Type.Optional(Type.String()),
  }),
  workers: Type.Array(PoolWorkerSchema),
});
export type PoolHealth = Static<typeof PoolHealthSchema>;

/**
 * The engine's measured speed (the core's EvaluationCalibration): milliseconds per input pixel of one
 * evaluation through `model` up to `throughLayer`, timed once when the engine started. Clients price a
 * schedule with it (the core's estimateScheduleTime), as `pastiche stylize --dry-run` does.
 */
export const EvaluationCalibrationSchema = Type.Object({
  msPerPixel: Type.Number({ exclusiveMinimum: 0 }),
  model: Type.Union([Type.Literal('vgg16'), Type.Literal('vgg19')]),
  throughLayer: Type.String(),
});

/** `GET /v1/health` (no token needed). */
export const HealthSchema = Type.Object({
  name: Type.Literal('pastiche'),
  version: Type.String(),
  backend: Type.String(),
  /** What the engine runs on: the GPU adapter, or the CPU and its threads. */
  device: Type.String(),
  /** A real GPU (never a software adapter). */
  gpu: Type.Boolean(),
  models: Type.Array(Type.String()),
  /** How fast the engine paints; absent where it was not measured (a pool, or a calibration that failed). */
  calibration: Type.Optional(EvaluationCalibrationSchema),
  /** Every engine of the runner's machine, as `pastiche backends` lists them. */
  backends: Type.Array(BackendListingSchema),
  limits: RunnerLimitsSchema,
  queue: Type.Object({ queued: Type.Integer(), running: Type.Integer(), kept: Type.Integer() }),
  engine: Type.Object({ restarts: Type.Integer(), processes: Type.Array(EngineHealthSchema) }),
  /** Only with `pastiche serve --queue`: backend, device, gpu and engine then describe the pool's workers. */
  pool: Type.Optional(PoolHealthSchema),
});
export type Health = Static<typeof HealthSchema>;
