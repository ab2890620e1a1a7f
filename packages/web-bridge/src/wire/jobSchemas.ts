import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** A job as `pastiche serve` reports it: its states, errors, progress, previews, status and events. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ description: 'ISO 8601' });

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];
export const JobStateSchema = Type.Union(JOB_STATES.map((s) => Type.Literal(s)));
export type JobState = Static<typeof JobStateSchema>;

/**
 * input: the request cannot run; out_of_memory: the backend ran out; time_limit: --max-job-seconds;
 * engine_crashed: the engine process died or its backend broke (it is restarted; the next job runs);
 * internal: a bug or another backend failure.
 */
export const JOB_ERROR_CODES = ['input', 'out_of_memory', 'time_limit', 'engine_crashed', 'internal'] as const;
export const JobErrorCodeSchema = Type.Union(JOB_ERROR_CODES.map((c) => Type.Literal(c)));
export type JobErrorCode = Static<typeof JobErrorCodeSchema>;

export const JobErrorSchema = Type.Object({
  message: Type.String(),
  code: JobErrorCodeSchema,
  field: Type.Optional(Type.String()),
});
export type JobError = Static<typeof JobErrorSchema>;

export const LossSchema = Type.Object({ total: Type.Number(), content: Type.Number(), style: Type.Number(), tv: Type.Number() });

/** A progress event: the core's StylizeProgress without its preview (sent apart, as a preview event). */
export const JobProgressSchema = Type.Object({
  scale: Type.Integer(),
  scales: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  evaluation: Type.Integer(),
  evaluations: Type.Integer(),
  totalEvaluation: Type.Integer(),
  totalEvaluations: Type.Integer(),
  loss: LossSchema,
  elapsedMs: Type.Number(),
  etaMs: Type.Number(),
});
export type JobProgress = Static<typeof JobProgressSchema>;

export const JobPreviewSchema = Type.Object({
  totalEvaluation: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  image: Type.String({ description: 'data:image/png;base64,…' }),
});
export type JobPreview = Static<typeof JobPreviewSchema>;

export const JobStatsSchema = Type.Object({
  evaluations: Type.Integer(),
  elapsedMs: Type.Number(),
  loss: LossSchema,
  seed: Type.Integer(),
  backend: Type.String(),
  scales: Type.Array(
    Type.Object({
      width: Type.Integer(),
      height: Type.Integer(),
      evaluations: Type.Integer(),
      elapsedMs: Type.Number(),
      stopReason: Type.String(),
      /** Styles sent through the network for this scale's targets, and styles whose targets the engine had kept from an earlier job (a batch). */
      styleTargets: Type.Optional(Type.Object({ computed: Type.Integer(), reused: Type.Integer() })),
    }),
  ),
});
export type JobStats = Static<typeof JobStatsSchema>;

export const ResultInfoSchema = Type.Object({ width: Type.Integer(), height: Type.Integer(), bytes: Type.Integer() });
export const JobLinksSchema = Type.Object({ self: Type.String(), events: Type.String(), result: Type.String() });

/** `GET /v1/jobs/:id` and `DELETE /v1/jobs/:id`. */
export const JobStatusSchema = Type.Object({
  id: Type.String(),
  status: JobStateSchema,
  queuePosition: Nullable(Type.Integer({ minimum: 1, description: '1 = next to run; null unless queued' })),
  progress: Nullable(JobProgressSchema),
  error: Nullable(JobErrorSchema),
  cancelReason: Nullable(Type.String()),
  cancelRequested: Type.Boolean(),
  seed: Type.Integer(),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  result: Nullable(ResultInfoSchema),
  links: JobLinksSchema,
  /** `pastiche serve --queue`: the pool worker that paints or painted the job (its --name). */
  worker: Type.Optional(Nullable(Type.String())),
});
export type JobStatus = Static<typeof JobStatusSchema>;

/** `POST /v1/jobs` → 202. */
export const JobAcceptedSchema = Type.Pick(JobStatusSchema, ['id', 'status', 'queuePosition', 'seed', 'links']);
export type JobAccepted = Static<typeof JobAcceptedSchema>;

const event = <K extends string, T extends TSchema>(type: K, data: T) => Type.Object({ type: Type.Literal(type), data });

/** One event of `GET /v1/jobs/:id/events`: `type` is the SSE event name, `data` its JSON payload. */
export const JobEventSchema = Type.Union([
  event('queued', Type.Object({ position: Type.Integer({ minimum: 1 }) })),
  event('started', Type.Object({ startedAt: Timestamp })),
  event('progress', JobProgressSchema),
  event('preview', JobPreviewSchema),
  event('done', Type.Object({ result: ResultInfoSchema, stats: JobStatsSchema })),
  event('failed', Type.Object({ error: JobErrorSchema })),
  event('cancelled', Type.Object({ reason: Type.String() })),
  // `pastiche serve --queue`: the job's worker was lost or its attempt failed; it waits in line again, for any
  // worker, and its events start again from `queued`.
  event('requeued', Type.Object({ reason: Type.String(), attempt: Type.Integer({ minimum: 1, description: 'the attempt that comes next' }) })),
]);
export type JobEvent = Static<typeof JobEventSchema>;
export const TERMINAL_EVENTS: ReadonlyArray<JobEvent['type']> = ['done', 'failed', 'cancelled'];
