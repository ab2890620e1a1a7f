import { JobStopped } from '../../engine/JobStopped.ts';
import type { EngineOutcome } from '../../engine/startEngineProcess.ts';
import { HttpError, limitInfo } from '../http/HttpError.ts';
import { createJob, emitJobEvent, finishedEvent, isFinished, type Job } from './job.ts';

export interface JobQueueOptions {
  concurrency: number;
  /** Jobs that may wait (running ones not counted); one more is refused with 429. */
  queueCap: number;
  keepResultsMs: number;
  /** Runs a started job to its outcome; must not throw. */
  execute(job: Job): Promise<EngineOutcome>;
  log?(line: string): void;
}

export interface JobQueue {
  /** Refuses early (429/503) so a request that cannot be queued is not decoded for nothing. */
  assertRoom(): void;
  submit(inputs: Parameters<typeof createJob>[0]): Job;
  get(id: string): Job | undefined;
  /** Queued: removed from the line. Running: stopped at its next evaluation, or its engine killed after the grace (awaited). Finished: forgotten. */
  cancel(job: Job, reason?: string): Promise<void>;
  counts(): { queued: number; running: number; kept: number };
  /** Stops accepting, cancels the waiting jobs, cancels or finishes the running ones; resolves when none runs. */
  close(mode: 'cancel' | 'finish'): Promise<Job[]>;
  /** Cancels what still runs during a 'finish' close (a second Ctrl-C). */
  abortRunning(reason: string): void;
}

/** A FIFO queue that runs `concurrency` jobs at a time and keeps finished jobs for `keepResultsMs`. */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const jobs = new Map<string, Job>();
  const waiting: Job[] = [];
  const running = new Set<Job>();
  const expiries = new Map<string, NodeJS.Timeout>();
  let closing = false;

  const assertRoom = () => {
    if (closing) throw new HttpError(503, 'the runner is shutting down and accepts no new jobs');
    if (waiting.length >= options.queueCap) {
      throw new HttpError(
        429,
        `the queue is full: ${waiting.length} job(s) waiting and ${running.size} running (limit --queue-cap ${options.queueCap}); try again when one finishes`,
        undefined,
        limitInfo('queueCap', options.queueCap),
      );
    }
  };

  const announcePositions = () => {
    waiting.forEach((job, i) => {
      if (job.position === i + 1) return;
      job.position = i + 1;
      emitJobEvent(job, { type: 'queued', data: { position: job.position } });
    });
  };

  const finish = (job: Job, outcome: EngineOutcome) => {
    if (isFinished(job)) return;
    job.state = outcome.state;
    job.finishedAt = new Date();
    job.position = undefined;
    job.inputs = undefined;
    if (outcome.state === 'succeeded') job.result = outcome.result;
    if (outcome.state === 'failed') job.error = outcome.error;
    if (outcome.state === 'cancelled') job.cancelReason = outcome.reason;
    emitJobEvent(job, finishedEvent(job));
    job.listeners.clear();
    job.markSettled();
    expiries.set(job.id, setTimeout(() => forget(job), options.keepResultsMs).unref());
    const took = job.startedAt ? ` after ${((job.finishedAt.getTime() - job.startedAt.getTime()) / 1000).toFixed(1)} s` : '';
    options.log?.(`job ${job.id} ${job.state}${took}${job.error ? `: ${job.error.message}` : ''}`);
  };

  const forget = (job: Job) => {
    clearTimeout(expiries.get(job.id));
    expiries.delete(job.id);
    jobs.delete(job.id);
  };

  const abortRunning = (reason: string) => {
    for (const job of running) {
      job.cancelRequested = true;
      job.controller.abort(new JobStopped('cancel', reason));
    }
  };

  const pump = () => {
    while (!closing && running.size < options.concurrency && waiting.length > 0) start(waiting.shift()!);
    announcePositions();
  };

  const start = (job: Job) => {
    running.add(job);
    job.state = 'running';
    job.startedAt = new Date();
    job.position = undefined;
    emitJobEvent(job, { type: 'started', data: { startedAt: job.startedAt.toISOString() } });
    options.log?.(`job ${job.id} started`);
    options
      .execute(job)
      .catch((error): EngineOutcome => ({ state: 'failed', error: { code: 'internal', message: String((error as Error)?.message ?? error) } }))
      .then((outcome) => {
        running.delete(job);
        finish(job, outcome);
        pump();
      })
      // Never leave a rejection unhandled: Node ends the process on one.
      .catch((error) => options.log?.(`internal error after job ${job.id}: ${(error as Error)?.stack ?? error}`));
  };

  return {
    assertRoom,
    submit(inputs) {
      assertRoom();
      const job = createJob(inputs);
      jobs.set(job.id, job);
      waiting.push(job);
      options.log?.(`job ${job.id} queued`);
      pump();
      return job;
    },
    get: (id) => jobs.get(id),
    async cancel(job, reason = 'cancelled by the client') {
      if (isFinished(job)) return forget(job);
      job.cancelRequested = true;
      if (job.state === 'queued') {
        waiting.splice(waiting.indexOf(job), 1);
        finish(job, { state: 'cancelled', reason });
        announcePositions();
        return;
      }
      job.controller.abort(new JobStopped('cancel', reason));
      await job.settled;
    },
    counts: () => ({ queued: waiting.length, running: running.size, kept: jobs.size - waiting.length - running.size }),
    abortRunning,
    async close(mode) {
      closing = true;
      for (const job of waiting.splice(0)) finish(job, { state: 'cancelled', reason: 'the runner is shutting down' });
      const draining = [...running];
      if (mode === 'cancel') abortRunning('the runner is shutting down');
      await Promise.all(draining.map((job) => job.settled));
      for (const timer of expiries.values()) clearTimeout(timer);
      return draining;
    },
  };
}
