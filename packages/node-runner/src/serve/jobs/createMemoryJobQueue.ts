import type { EngineJob } from '../../engine/engineMessages.ts';
import { JobStopped } from '../../engine/JobStopped.ts';
import type { EngineOutcome } from '../../engine/startEngineProcess.ts';
import { HttpError, limitInfo } from '../../errors/HttpError.ts';
import type { Caller } from '../../queue/Caller.ts';
import { assertUserRoom } from '../../queue/assertUserRoom.ts';
import { createJob, emitJobEvent, finishedEvent, isFinished, viewOf, type Job } from './job.ts';
import type { JobQueue } from '../../queue/JobQueue.ts';

export interface MemoryJobQueueOptions {
  concurrency: number;
  /** Jobs that may wait (running ones not counted); one more is refused with 429. */
  queueCap: number;
  /** Jobs one caller may have waiting (operators: no such limit). */
  userQueueCap: number;
  keepResultsMs: number;
  /** Runs a started job to its outcome; must not throw. */
  execute(job: Job): Promise<EngineOutcome>;
  /** Deletes a job's uploaded images once it ends, however it ends (they wait on disk, not in memory). */
  discardInputs(inputs: EngineJob): Promise<void>;
  log?(line: string): void;
}

/** The in-memory queue (the default): a FIFO that runs `concurrency` jobs at a time and keeps finished jobs for `keepResultsMs`. */
export function createMemoryJobQueue(options: MemoryJobQueueOptions): JobQueue {
  const jobs = new Map<string, Job>();
  const waiting: Job[] = [];
  const running = new Set<Job>();
  const expiries = new Map<string, NodeJS.Timeout>();
  let closing = false;

  const assertRoom = (caller: Caller) => {
    if (closing) throw new HttpError(503, 'the runner is shutting down and accepts no new jobs');
    if (waiting.length >= options.queueCap) {
      throw new HttpError(
        429,
        `the queue is full: ${waiting.length} job(s) waiting and ${running.size} running (limit --queue-cap ${options.queueCap}); try again when one finishes`,
        undefined,
        limitInfo('queueCap', options.queueCap),
      );
    }
    if (!caller.operator) assertUserRoom(caller.name, waiting.filter((job) => job.owner === caller.name).length, options.userQueueCap);
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
    if (job.inputs) void options.discardInputs(job.inputs).catch((error) => options.log?.(`job ${job.id}: its uploaded images could not be deleted: ${(error as Error).message}`));
    job.inputs = undefined;
    if (outcome.state === 'succeeded') job.result = outcome.result;
    if (outcome.state === 'failed') job.error = outcome.error;
    if (outcome.state === 'cancelled') job.cancelReason = outcome.reason;
    emitJobEvent(job, finishedEvent(viewOf(job)));
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

  const cancel = async (job: Job, reason: string) => {
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
  };

  // Views are taken of jobs this queue holds: a view whose job is gone (forgotten meanwhile) is answered as it was.
  const held = (id: string) => jobs.get(id);
  return {
    async assertRoom(caller) {
      assertRoom(caller);
    },
    async submit(inputs, caller) {
      assertRoom(caller);
      const job = createJob(inputs, caller.name);
      jobs.set(job.id, job);
      waiting.push(job);
      options.log?.(`job ${job.id} queued (${caller.name})`);
      pump();
      return viewOf(job);
    },
    get: async (id) => {
      const job = held(id);
      return job && viewOf(job);
    },
    lost: () => undefined,
    subscribe(id, listener) {
      const job = held(id);
      job?.listeners.add(listener);
      return () => job?.listeners.delete(listener);
    },
    async readResult(view) {
      const job = held(view.id);
      if (!job?.result) throw new Error(`internal error: job ${view.id} has no result`);
      job.resultFetched = true;
      return job.result.png;
    },
    async cancel(view, reason = 'cancelled by the client') {
      const job = held(view.id);
      if (!job) return view;
      await cancel(job, reason);
      return viewOf(job);
    },
    counts: async () => ({ queued: waiting.length, running: running.size, kept: jobs.size - waiting.length - running.size }),
    abortRunning,
    async close(mode, graceMs) {
      closing = true;
      for (const job of waiting.splice(0)) finish(job, { state: 'cancelled', reason: 'the runner is shutting down' });
      const draining = [...running];
      if (mode === 'cancel') abortRunning('the runner is shutting down');
      await Promise.all(draining.map((job) => job.settled));
      // With 'finish', results finished during the drain stay fetchable until fetched or the grace ends.
      if (mode === 'finish') await untilFetched(draining.filter((j) => j.state === 'succeeded'), graceMs);
      for (const timer of expiries.values()) clearTimeout(timer);
    },
  };
}

async function untilFetched(jobs: Job[], graceMs: number) {
  const deadline = Date.now() + graceMs;
  while (jobs.some((j) => !j.resultFetched) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
