import type { EngineJob } from '../../engine/engineMessages.ts';
import { JobStopped } from '../../engine/JobStopped.ts';
import type { EngineOutcome } from '../../engine/startEngineProcess.ts';
import { HttpError, limitInfo } from '../../errors/HttpError.ts';
import type { Caller } from '../../queue/Caller.ts';
import { assertUserRoom } from '../../queue/assertUserRoom.ts';
import type { JobQueue } from '../../queue/JobQueue.ts';
import type { JobStore } from '../state/createJobStore.ts';
import { createJob, emitJobEvent, finishedEvent, isFinished, restoreJob, storedJobOf, viewOf, type Job } from './job.ts';

export interface MemoryJobQueueOptions {
  concurrency: number;
  /** Jobs that may wait (running ones not counted); one more is refused with 429. */
  queueCap: number;
  /** Jobs one caller may have waiting (operators: no such limit). */
  userQueueCap: number;
  /** A finished job is kept this long after its result is first fetched, or after it failed or was cancelled. */
  keepResultsMs: number;
  /** A result nobody fetches is kept this long. */
  retentionMs: number;
  /** The state directory's jobs: every job is written there, and those found there at start are taken up again. */
  store: JobStore;
  /** Runs a started job to its outcome; must not throw. */
  execute(job: Job): Promise<EngineOutcome>;
  /** Deletes the upload folder a job's images came from, once the store has taken them. */
  releaseUpload(inputs: EngineJob): Promise<void>;
  log?(line: string): void;
}

/** The longest setTimeout Node keeps (a longer delay fires at once): longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The queue of `pastiche serve` without --queue: a FIFO that runs `concurrency` jobs at a time, backed by the
 * state directory. Every job is written there as it changes state, so a runner started again (after a crash,
 * kill -9, a reboot or a 'keep' shutdown) takes up its queued and running jobs, the running ones first, and
 * still answers for its finished ones until they expire.
 */
export async function createMemoryJobQueue(options: MemoryJobQueueOptions): Promise<JobQueue> {
  const { store, log } = options;
  const jobs = new Map<string, Job>();
  const waiting: Job[] = [];
  /** Each running job, with its run's end (its outcome handled). */
  const running = new Map<Job, Promise<void>>();
  const expiries = new Map<string, NodeJS.Timeout>();
  const writes = new Map<string, Promise<void>>();
  /** Owners of the jobs being submitted (their files on the way into the state directory): they hold their place. */
  const admitting: string[] = [];
  let closing = false;
  /** Set by a 'keep' close: what happens to a job from then on is not recorded, so it continues at the next start. */
  let frozen = false;

  /** Writes the job's record as it is when the write starts; one write per job at a time, in order. */
  const persist = (job: Job) => {
    const next = (writes.get(job.id) ?? Promise.resolve())
      .then(() => (jobs.has(job.id) && !frozen ? store.save(storedJobOf(job)) : undefined))
      .catch((error) => log?.(`job ${job.id}: its record could not be written: ${(error as Error).message}`));
    writes.set(job.id, next);
    return next;
  };

  const assertRoom = (caller: Caller) => {
    if (closing) throw new HttpError(503, 'the runner is shutting down and accepts no new jobs');
    const waitingCount = waiting.length + admitting.length;
    if (waitingCount >= options.queueCap) {
      throw new HttpError(
        429,
        `the queue is full: ${waitingCount} job(s) waiting and ${running.size} running (limit --queue-cap ${options.queueCap}); try again when one finishes`,
        undefined,
        limitInfo('queueCap', options.queueCap),
      );
    }
    if (!caller.operator) assertUserRoom(caller.name, [...waiting.map((job) => job.owner), ...admitting].filter((owner) => owner === caller.name).length, options.userQueueCap);
  };

  const announcePositions = () => {
    waiting.forEach((job, i) => {
      if (job.position === i + 1) return;
      job.position = i + 1;
      emitJobEvent(job, { type: 'queued', data: { position: job.position } });
    });
  };

  const finish = async (job: Job, outcome: EngineOutcome) => {
    if (isFinished(job) || frozen) return;
    if (outcome.state === 'succeeded') {
      const { png, width, height, stats } = outcome.result;
      // The result is on disk before anyone is told it exists.
      await store.writeResult(job.id, png).catch((error) => {
        outcome = { state: 'failed', error: { code: 'internal', message: `the result could not be saved in the state directory: ${(error as Error).message}` } };
      });
      if (outcome.state === 'succeeded') job.result = { width, height, bytes: png.byteLength, stats };
    }
    if (isFinished(job) || frozen) return;
    job.state = outcome.state;
    job.finishedAt = new Date();
    job.position = undefined;
    if (outcome.state === 'failed') job.error = outcome.error;
    if (outcome.state === 'cancelled') job.cancelReason = outcome.reason;
    const inputs = job.inputs;
    job.inputs = undefined;
    await persist(job);
    await store.discardWork(job.id, inputs).catch((error) => log?.(`job ${job.id}: its images could not be deleted: ${(error as Error).message}`));
    emitJobEvent(job, finishedEvent(viewOf(job)));
    job.listeners.clear();
    job.markSettled();
    scheduleExpiry(job);
    const took = job.startedAt ? ` after ${((job.finishedAt.getTime() - job.startedAt.getTime()) / 1000).toFixed(1)} s` : '';
    log?.(`job ${job.id} ${job.state}${took}${job.error ? `: ${job.error.message}` : ''}`);
  };

  /** A succeeded job lives until its result has been fetched for keepResultsMs, at most retentionMs; any other, keepResultsMs. */
  const expiresAt = (job: Job) => {
    const ended = job.finishedAt!.getTime();
    if (job.state !== 'succeeded') return ended + options.keepResultsMs;
    const retained = ended + options.retentionMs;
    return job.fetchedAt ? Math.min(retained, job.fetchedAt.getTime() + options.keepResultsMs) : retained;
  };
  const scheduleExpiry = (job: Job) => {
    clearTimeout(expiries.get(job.id));
    const wait = expiresAt(job) - Date.now();
    if (wait <= 0) return void forget(job);
    expiries.set(job.id, setTimeout(() => scheduleExpiry(job), Math.min(wait, MAX_TIMER_MS)).unref());
  };

  const forget = async (job: Job) => {
    clearTimeout(expiries.get(job.id));
    expiries.delete(job.id);
    jobs.delete(job.id);
    await writes.get(job.id);
    writes.delete(job.id);
    await store.remove(job.id).catch((error) => log?.(`job ${job.id}: its folder could not be deleted: ${(error as Error).message}`));
  };

  const abortRunning = (reason: string) => {
    for (const job of running.keys()) {
      job.cancelRequested = true;
      job.controller.abort(new JobStopped('cancel', reason));
    }
  };

  const pump = () => {
    while (!closing && running.size < options.concurrency && waiting.length > 0) start(waiting.shift()!);
    announcePositions();
  };

  const start = (job: Job) => {
    job.state = 'running';
    job.startedAt = new Date();
    job.position = undefined;
    void persist(job);
    emitJobEvent(job, { type: 'started', data: { startedAt: job.startedAt.toISOString() } });
    log?.(`job ${job.id} started`);
    const ended = options
      .execute(job)
      .catch((error): EngineOutcome => ({ state: 'failed', error: { code: 'internal', message: String((error as Error)?.message ?? error) } }))
      .then(async (outcome) => {
        running.delete(job);
        await finish(job, outcome);
        pump();
      })
      // Never leave a rejection unhandled: Node ends the process on one.
      .catch((error) => log?.(`internal error after job ${job.id}: ${(error as Error)?.stack ?? error}`));
    running.set(job, ended);
  };

  const cancel = async (job: Job, reason: string) => {
    if (isFinished(job)) return forget(job);
    job.cancelRequested = true;
    if (job.state === 'queued') {
      waiting.splice(waiting.indexOf(job), 1);
      await finish(job, { state: 'cancelled', reason });
      announcePositions();
      return;
    }
    job.controller.abort(new JobStopped('cancel', reason));
    await job.settled;
  };

  // Jobs found in the state directory: finished ones are answered until they expire; the others go back in line,
  // those that were running first, each group in the order it was submitted.
  const { jobs: stored, dropped } = await store.load();
  for (const id of dropped) log?.(`job ${id}: its record in the state directory is unreadable (another version?); deleted`);
  const wasRunning = new Set(stored.filter((s) => s.state === 'running').map((s) => s.id));
  const restored = stored.map(restoreJob).sort((a, b) => Number(wasRunning.has(b.id)) - Number(wasRunning.has(a.id)) || a.createdAt.getTime() - b.createdAt.getTime());
  for (const job of restored) {
    jobs.set(job.id, job);
    if (isFinished(job)) scheduleExpiry(job);
    else waiting.push(job);
  }
  if (waiting.length > 0) log?.(`${waiting.length} job(s) taken up from the state directory (${wasRunning.size} of them were running)`);
  pump();

  // Views are taken of jobs this queue holds: a view whose job is gone (forgotten meanwhile) is answered as it was.
  const held = (id: string) => jobs.get(id);
  return {
    async assertRoom(caller) {
      assertRoom(caller);
    },
    async submit(inputs, caller) {
      assertRoom(caller);
      const job = createJob(inputs, caller.name);
      admitting.push(caller.name);
      try {
        job.inputs = await store.admit(storedJobOf(job), inputs);
      } catch (error) {
        await store.remove(job.id);
        throw error;
      } finally {
        admitting.splice(admitting.indexOf(caller.name), 1);
      }
      if (closing) {
        await store.remove(job.id);
        throw new HttpError(503, 'the runner is shutting down and accepts no new jobs');
      }
      // In line in the same turn as it leaves `admitting`, so that no room check misses it.
      jobs.set(job.id, job);
      waiting.push(job);
      await options.releaseUpload(inputs).catch(() => {}); // only its empty folder is left
      log?.(`job ${job.id} queued (${caller.name})`);
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
      const png = await store.readResult(job.id);
      if (!job.fetchedAt) {
        job.fetchedAt = new Date();
        void persist(job);
        scheduleExpiry(job);
      }
      return png;
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
      if (mode === 'keep') {
        // Queued and running jobs stay as their records say; the running ones are stopped, their last step
        // checkpointed, and continue from there at the next start.
        frozen = true;
        const stopping = [...running.values()];
        for (const job of running.keys()) job.controller.abort(new JobStopped('keep', 'the runner is shutting down; the job continues at its next start'));
        await Promise.all([...stopping, ...writes.values()]);
      } else {
        await Promise.all(waiting.splice(0).map((job) => finish(job, { state: 'cancelled', reason: 'the runner is shutting down' })));
        const draining = [...running.keys()];
        if (mode === 'cancel') abortRunning('the runner is shutting down');
        await Promise.all(draining.map((job) => job.settled));
        // With 'finish', results finished during the drain stay fetchable until fetched or the grace ends.
        if (mode === 'finish') await untilFetched(draining.filter((j) => j.state === 'succeeded'), graceMs);
        await Promise.all(writes.values());
      }
      for (const timer of expiries.values()) clearTimeout(timer);
    },
  };
}

async function untilFetched(jobs: Job[], graceMs: number) {
  const deadline = Date.now() + graceMs;
  while (jobs.some((j) => !j.fetchedAt) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
