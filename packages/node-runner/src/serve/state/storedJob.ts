import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { JobErrorSchema, JobProgressSchema, JobStatsSchema } from '@pastiche/web-bridge/wire';
import { EngineJobSchema } from '../../engine/engineMessages.ts';

/** Bumped when a record written by one version would be misread by another: such a job is set aside, not guessed at. */
export const STORED_JOB_VERSION = 1;

/**
 * A job as the runner's state directory keeps it (`jobs/<id>/job.json`): enough to answer its status after a
 * restart and to paint it again. Its image files sit beside it, named relative to its folder.
 */
export const StoredJobSchema = Type.Object({
  version: Type.Literal(STORED_JOB_VERSION),
  id: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
  owner: Type.String(),
  state: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled')]),
  createdAt: Type.String(),
  startedAt: Type.Optional(Type.String()),
  finishedAt: Type.Optional(Type.String()),
  /** When the result was first fetched: from then on the job is kept --keep-results-minutes. */
  fetchedAt: Type.Optional(Type.String()),
  seed: Type.Integer(),
  /** Until the job ends; image files relative to the job's folder. */
  inputs: Type.Optional(EngineJobSchema),
  progress: Type.Optional(JobProgressSchema),
  error: Type.Optional(JobErrorSchema),
  cancelReason: Type.Optional(Type.String()),
  /** A succeeded job's result; its PNG is `result.png` beside the record. */
  result: Type.Optional(Type.Object({ width: Type.Integer(), height: Type.Integer(), bytes: Type.Integer(), stats: JobStatsSchema })),
});
export type StoredJob = Static<typeof StoredJobSchema>;

export const isStoredJob = TypeCompiler.Compile(StoredJobSchema);
