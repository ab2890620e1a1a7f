import { randomUUID } from 'node:crypto';
import { FINISHED_STATES, type JobEvent } from '@pastiche/web-bridge/wire';
import type { EngineJob } from '../../engine/engineMessages.ts';
import type { JobInputs, JobView } from '../../queue/JobQueue.ts';
import { STORED_JOB_VERSION, type StoredJob } from '../state/storedJob.ts';

/** A succeeded job's result as memory keeps it: its PNG is in the state directory. */
export type JobResult = NonNullable<JobView['result']>;

/** A job in this runner's memory: what the routes see of it (less the pool's worker), and what only this runner holds. */
export interface Job extends Omit<JobView, 'worker'> {
  /** The images as received and the run's settings; dropped once the job finishes, so a kept result holds no input images. */
  inputs?: EngineJob;
  /** When its result was first fetched. */
  fetchedAt?: Date;
  readonly controller: AbortController;
  readonly listeners: Set<(event: JobEvent) => void>;
  /** Resolves when the job reaches a finished state. */
  readonly settled: Promise<void>;
  markSettled(): void;
}

export function createJob(inputs: JobInputs, owner: string): Job {
  return withRuntime({ id: randomUUID(), owner, state: 'queued', createdAt: new Date(), seed: inputs.options.seed, inputs, cancelRequested: false });
}

/** A job read back from the state directory; one that was running goes back in line (its engine is gone). */
export function restoreJob(stored: StoredJob): Job {
  const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));
  const job = withRuntime({
    id: stored.id,
    owner: stored.owner,
    state: stored.state === 'running' ? 'queued' : stored.state,
    createdAt: new Date(stored.createdAt),
    startedAt: date(stored.startedAt),
    finishedAt: date(stored.finishedAt),
    fetchedAt: date(stored.fetchedAt),
    seed: stored.seed,
    inputs: stored.inputs,
    progress: stored.progress,
    error: stored.error,
    cancelReason: stored.cancelReason,
    result: stored.result,
    cancelRequested: false,
  });
  if (isFinished(job)) job.markSettled();
  return job;
}

/** The record the state directory keeps of a job. */
export function storedJobOf(job: Job): StoredJob {
  const iso = (date: Date | undefined) => date?.toISOString();
  const { id, owner, state, seed, inputs, progress, error, cancelReason, result } = job;
  const record: StoredJob = { version: STORED_JOB_VERSION, id, owner, state, createdAt: job.createdAt.toISOString(), seed };
  Object.assign(record, withoutUndefined({ startedAt: iso(job.startedAt), finishedAt: iso(job.finishedAt), fetchedAt: iso(job.fetchedAt), inputs, progress, error, cancelReason, result }));
  return record;
}

function withRuntime(fields: Omit<Job, 'controller' | 'listeners' | 'settled' | 'markSettled'>): Job {
  let markSettled!: () => void;
  const settled = new Promise<void>((resolve) => (markSettled = resolve));
  return { ...fields, controller: new AbortController(), listeners: new Set(), settled, markSettled };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Sends an event to every listener; a listener that throws (a dead socket) never disturbs the job. */
export function emitJobEvent(job: Job, event: JobEvent): void {
  for (const listener of [...job.listeners]) {
    try {
      listener(event);
    } catch {
      job.listeners.delete(listener);
    }
  }
}

/** The in-memory job as the routes see it (a copy: the job goes on changing). */
export function viewOf(job: Job): JobView {
  const { id, owner, state, createdAt, startedAt, finishedAt, seed, progress, lastPreview, error, cancelReason, cancelRequested, position, result } = job;
  return { id, owner, state, createdAt, startedAt, finishedAt, seed, progress, lastPreview, error, cancelReason, cancelRequested, position, result };
}

/** The events that tell a late subscriber where the job stands, in the order it would have seen them. */
export function currentJobEvents(job: JobView): JobEvent[] {
  switch (job.state) {
    case 'queued':
      return [{ type: 'queued', data: { position: job.position ?? 1 } }];
    case 'running': {
      const events: JobEvent[] = [{ type: 'started', data: { startedAt: job.startedAt!.toISOString() } }];
      if (job.progress) events.push({ type: 'progress', data: job.progress });
      if (job.lastPreview) events.push({ type: 'preview', data: job.lastPreview });
      return events;
    }
    default:
      return [finishedEvent(job)];
  }
}

export function finishedEvent(job: JobView): JobEvent {
  if (job.state === 'succeeded') {
    const { width, height, bytes, stats } = job.result!;
    return { type: 'done', data: { result: { width, height, bytes }, stats } };
  }
  if (job.state === 'failed') return { type: 'failed', data: { error: job.error! } };
  return { type: 'cancelled', data: { reason: job.cancelReason ?? 'cancelled' } };
}

export const isFinished = (job: Pick<JobView, 'state'>) => FINISHED_STATES.includes(job.state);
