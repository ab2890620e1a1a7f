import type { Job } from 'bullmq';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { JobProgressSchema, type JobEvent, type JobPreview } from '@pastiche/web-bridge/wire';
import type { JobView } from '../queue/JobQueue.ts';
import { isPoolOutcome, type PoolJobData, type PoolOutcome } from './poolMessages.ts';

const isProgress = TypeCompiler.Compile(JobProgressSchema);

/** What is kept of a job cancelled while it waited (BullMQ itself forgets a removed job). */
export interface CancelledWhileQueued {
  owner: string;
  createdAt: number;
  finishedAt: number;
  seed: number;
  reason: string;
}

/** A BullMQ job as the routes see it. BullMQ's `failed` is a job it gave up (a worker lost too often). */
export function viewOfPoolJob(job: Job<PoolJobData>, state: string, extra: { cancelRequested: boolean; lastPreview?: JobPreview; position?: number }): JobView {
  const base = { id: job.id!, owner: job.data.owner, createdAt: new Date(job.timestamp), seed: job.data.seed, cancelRequested: extra.cancelRequested, worker: job.processedBy };
  const progress = isProgress.Check(job.progress) ? job.progress : undefined;
  const startedAt = job.processedOn ? new Date(job.processedOn) : undefined;
  const finishedAt = job.finishedOn ? new Date(job.finishedOn) : undefined;
  if (state === 'completed' && isPoolOutcome.Check(job.returnvalue)) {
    const outcome: PoolOutcome = job.returnvalue;
    const ended = { ...base, progress, startedAt, finishedAt, worker: outcome.worker };
    if (outcome.state === 'succeeded') {
      const { width, height, bytes, stats } = outcome.result;
      return { ...ended, state: 'succeeded', result: { width, height, bytes, stats } };
    }
    if (outcome.state === 'failed') return { ...ended, state: 'failed', error: outcome.error };
    return { ...ended, state: 'cancelled', cancelReason: outcome.reason };
  }
  if (state === 'completed' || state === 'failed') {
    const message = state === 'failed' ? `the pool gave the job up: ${job.failedReason}` : 'a worker ended the job with an unreadable outcome';
    return { ...base, state: 'failed', progress, startedAt, finishedAt, error: { code: 'engine_crashed', message } };
  }
  if (state === 'active') return { ...base, state: 'running', progress, startedAt, lastPreview: extra.lastPreview };
  return { ...base, state: 'queued', position: extra.position, worker: undefined };
}

/** The terminal event of a job from its outcome, or undefined for a value that is not one. */
export function outcomeEvent(outcome: unknown): JobEvent | undefined {
  if (!isPoolOutcome.Check(outcome)) return undefined;
  if (outcome.state === 'succeeded') {
    const { width, height, bytes, stats } = outcome.result;
    return { type: 'done', data: { result: { width, height, bytes }, stats } };
  }
  if (outcome.state === 'failed') return { type: 'failed', data: { error: outcome.error } };
  return { type: 'cancelled', data: { reason: outcome.reason } };
}
