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
  concurrency: Type.Integer(),
  keepResultsMinutes: Type.Number(),
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
  limits: RunnerLimitsSchema,
  queue: Type.Object({ queued: Type.Integer(), running: Type.Integer(), kept: Type.Integer() }),
  engine: Type.Object({ restarts: Type.Integer(), processes: Type.Array(EngineHealthSchema) }),
});
export type Health = Static<typeof HealthSchema>;
