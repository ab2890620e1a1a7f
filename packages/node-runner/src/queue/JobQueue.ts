import type { JobError, JobEvent, JobPreview, JobProgress, JobState, JobStats } from '@pastiche/web-bridge/wire';
import type { EngineJob } from '../engine/engineMessages.ts';
import type { Caller } from './Caller.ts';

/** What a runner's Ctrl-C / SIGTERM does with its jobs (--on-shutdown). */
export type ShutdownMode = 'keep' | 'cancel' | 'finish';

/** A job as the routes see it, whichever queue holds it: a snapshot, read again for each request. */
export interface JobView {
  readonly id: string;
  /** The name of the token that submitted it: only that caller (or an operator) may see it. */
  readonly owner: string;
  state: JobState;
  readonly createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  readonly seed: number;
  progress?: JobProgress;
  lastPreview?: JobPreview;
  error?: JobError;
  cancelReason?: string;
  result?: { width: number; height: number; bytes: number; stats: JobStats };
  cancelRequested: boolean;
  /** 1-based place in line while queued. */
  position?: number;
  /** The pool worker that paints or painted it (`pastiche serve --queue` only). */
  worker?: string;
}

/** What a submitted job carries: the images as received, the settings with the seed fixed. */
export type JobInputs = EngineJob & { options: { seed: number } };

/**
 * The queue behind the routes. Two implementations: in memory (the default: one machine, its jobs kept in the state directory)
 * and BullMQ on Redis (`pastiche serve --queue`: a pool of `pastiche worker`s). Everything is async because the
 * second asks Redis.
 */
export interface JobQueue {
  /**
   * Refuses early (429/503) so a request that cannot be queued is not decoded for nothing: a full line, or (not
   * for an operator) a caller with --user-queue-cap jobs waiting already.
   */
  assertRoom(caller: Caller): Promise<void>;
  /** The job belongs to `caller.name` (per-user fairness in the pool too). */
  submit(inputs: JobInputs, caller: Caller): Promise<JobView>;
  /** Any job, whoever owns it: the routes decide who may see it. */
  get(id: string): Promise<JobView | undefined>;
  /**
   * The owner of a job this server accepted that its queue no longer has although it was neither forgotten nor
   * expired (a Redis that restarted without its data); undefined otherwise. The in-memory queue loses nothing.
   */
  lost(id: string): string | undefined;
  /**
   * Calls `listener` with every event of job `id` from now on, until the job finishes; returns the unsubscribe.
   * Subscribe before reading the job's view, so that nothing falls between the two.
   */
  subscribe(id: string, listener: (event: JobEvent) => void): () => void;
  /** The PNG of a succeeded job. */
  readResult(job: JobView): Promise<Uint8Array>;
  /** Queued: removed from the line. Running: stopped (awaited). Finished: forgotten. Returns the job as it ends. */
  cancel(job: JobView, reason?: string): Promise<JobView>;
  counts(): Promise<{ queued: number; running: number; kept: number }>;
  /**
   * In memory: stops accepting; 'keep' leaves the waiting and running jobs to the state directory (the next start
   * continues them); 'cancel' and 'finish' cancel the waiting jobs and cancel or finish the running ones (with
   * 'finish', their results stay fetchable for `graceMs` or until fetched). The pool leaves its jobs in Redis.
   */
  close(mode: ShutdownMode, graceMs: number): Promise<void>;
  /** Cancels what still runs during a 'finish' close (a second Ctrl-C). */
  abortRunning(reason: string): void;
}
