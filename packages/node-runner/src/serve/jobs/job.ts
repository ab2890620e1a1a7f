import { randomUUID } from 'node:crypto';
import { FINISHED_STATES, type JobError, type JobEvent, type JobPreview, type JobProgress, type JobState } from '@pastiche/web-bridge/wire';
import type { EngineJob, Painted } from '../../engine/engineMessages.ts';
import type { JobView } from '../../queue/JobQueue.ts';

export type JobResult = Painted;

export interface Job {
  readonly id: string;
  readonly owner: string;
  state: JobState;
  readonly createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  readonly seed: number;
  /** The images as received and the run's settings; dropped once the job finishes, so a kept result holds no input images. */
  inputs?: EngineJob;
  progress?: JobProgress;
  lastPreview?: JobPreview;
  error?: JobError;
  cancelReason?: string;
  result?: JobResult;
  resultFetched: boolean;
  cancelRequested: boolean;
  /** 1-based place in line while queued (the last one sent to listeners). */
  position?: number;
  readonly controller: AbortController;
  readonly listeners: Set<(event: JobEvent) => void>;
  /** Resolves when the job reaches a finished state. */
  readonly settled: Promise<void>;
  markSettled(): void;
}

export function createJob(inputs: EngineJob & { options: { seed: number } }, owner: string): Job {
  let markSettled!: () => void;
  const settled = new Promise<void>((resolve) => (markSettled = resolve));
  return {
    id: randomUUID(),
    owner,
    state: 'queued',
    createdAt: new Date(),
    seed: inputs.options.seed,
    inputs,
    resultFetched: false,
    cancelRequested: false,
    controller: new AbortController(),
    listeners: new Set(),
    settled,
    markSettled,
  };
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
  const summary = result && { width: result.width, height: result.height, bytes: result.png.byteLength, stats: result.stats };
  return { id, owner, state, createdAt, startedAt, finishedAt, seed, progress, lastPreview, error, cancelReason, cancelRequested, position, result: summary };
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
