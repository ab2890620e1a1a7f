import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { isHardwareGpu } from '@pastiche/core';
import type { JobError } from '@pastiche/web-bridge/wire';
import type { EngineJob, EngineSettings } from '../engine/engineMessages.ts';
import { JobStopped } from '../engine/JobStopped.ts';
import { startEnginePool, type EnginePool } from '../engine/startEnginePool.ts';
import { connectPool } from './connectPool.ts';
import { createBlobStore } from './createBlobStore.ts';
import { createPoolCheckpoints } from './poolCheckpoints.ts';
import { poolKeys, QUEUE_NAME } from './poolKeys.ts';
import { createWorkerCheckpointDir } from './workerCheckpointDir.ts';
import { isPoolJobData, type PoolJobData, type PoolOutcome, type WorkerAnnouncement } from './poolMessages.ts';
import type { QueueUrl } from './redisConnection.ts';

export interface PoolWorkerConfig {
  queue: QueueUrl;
  /** Unique in the pool: it names the worker in health and on each job. */
  name?: string;
  /** Jobs painted at once, each in its own engine process. */
  concurrency: number;
  engine: EngineSettings;
  cancelGraceSeconds: number;
  /** The shared directory for big images and results (the server's --store, as mounted here). */
  store?: string;
  inlineMaxMb: number;
  /** A job whose lock is not renewed for this long is taken back (its worker is presumed dead). */
  lockSeconds: number;
  /** How often this worker looks for such jobs. */
  stalledCheckSeconds: number;
  /** A job taken back more often than this is given up (it may be what kills its workers). */
  maxStalls: number;
}

export interface PoolWorker {
  readonly name: string;
  readonly engines: EnginePool;
  /** 'finish': running jobs end first; 'hand-back': they are stopped and go back in line for another worker. */
  close(mode: 'finish' | 'hand-back'): Promise<void>;
  /** Hands back what still runs during a 'finish' close (a second Ctrl-C). */
  handBackRunning(): void;
}

/** Failures another attempt may not repeat (a lost engine, memory on a busier machine); a refused input would. */
const RETRYABLE: ReadonlyArray<JobError['code']> = ['engine_crashed', 'out_of_memory', 'internal'];
const ANNOUNCE_EVERY_MS = 2000;

/**
 * `pastiche worker`: takes jobs from the pool's BullMQ queue and paints them on its engine processes (the same
 * supervised processes as `pastiche serve`), reporting progress through BullMQ and previews through pub/sub,
 * storing the result, and announcing itself every 2 s. It only connects out to Redis: no port is opened.
 * This process never paints, so it renews its job locks on time however long a job runs.
 */
export async function startPoolWorker(config: PoolWorkerConfig, deps: { engineEntry?: URL; log(line: string): void }): Promise<PoolWorker> {
  const name = config.name ?? `${hostname()}-${process.pid}`;
  const { log } = deps;
  const engines = await startEnginePool(config.concurrency, { settings: config.engine, cancelGraceMs: config.cancelGraceSeconds * 1000, entry: deps.engineEntry, log });
  const connections = connectPool(config.queue, 'worker');
  const { commands, subscriber } = connections;
  const blobs = createBlobStore({ redis: commands, dir: config.store, inlineMaxBytes: config.inlineMaxMb * 1024 * 1024 });
  const checkpoints = createPoolCheckpoints(commands, blobs);
  // The engines write each job's checkpoints here; each is then copied to the pool's store for whichever worker retries it.
  const checkpointDir = await createWorkerCheckpointDir();
  const running = new Map<string, { controller: AbortController; handBack: boolean }>();
  const startedAt = new Date().toISOString();
  let state: WorkerAnnouncement['state'] = 'running';

  const announce = async () => {
    const { backend, models, backends } = engines.info;
    const announcement: WorkerAnnouncement = {
      name,
      host: hostname(),
      pid: process.pid,
      startedAt,
      state,
      backend: backend.name,
      device: backend.device,
      gpu: isHardwareGpu(backend),
      concurrency: config.concurrency,
      jobs: [...running.keys()],
      engine: engines.health(),
      models,
      backends,
    };
    await commands.set(poolKeys.worker(name), JSON.stringify(announcement), 'PX', 3 * ANNOUNCE_EVERY_MS).catch(() => {});
  };
  const announcer = setInterval(() => void announce(), ANNOUNCE_EVERY_MS);

  subscriber.on('message', (_channel: string, jobId: string) => {
    const entry = running.get(jobId);
    if (!entry) return;
    void commands.get(poolKeys.cancel(jobId)).then((reason) => entry.controller.abort(new JobStopped('cancel', reason ?? 'cancelled by the client')));
  });
  await subscriber.subscribe(poolKeys.cancelChannel);

  const paint = async (job: Job<PoolJobData>, token?: string): Promise<PoolOutcome> => {
    const id = job.id!;
    if (!isPoolJobData.Check(job.data)) {
      throw new UnrecoverableError(`job ${id} is not a pastiche job (${isPoolJobData.Errors(job.data).First()?.path}: ${isPoolJobData.Errors(job.data).First()?.message})`);
    }
    const data = job.data;
    const cancelled = await commands.get(poolKeys.cancel(id));
    if (cancelled !== null) return { state: 'cancelled', worker: name, reason: cancelled };
    const images = await blobs.get(data.images);
    const entry = { controller: new AbortController(), handBack: false };
    running.set(id, entry);
    void announce();
    const checkpointFile = path.join(checkpointDir, `${id}.checkpoint`);
    // One copy to the store at a time; checkpoints written meanwhile are coalesced into the next copy.
    let saving: Promise<void> | undefined;
    let again = false;
    const saveCheckpoint = () => {
      if (saving) return void (again = true);
      saving = (async () => {
        do {
          again = false;
          await checkpoints.store(id, checkpointFile).catch((error) => log(`job ${id}: its checkpoint could not be stored: ${(error as Error).message}`));
        } while (again);
        saving = undefined;
      })();
    };
    try {
      const resume = await checkpoints.fetch(id, checkpointFile);
      if (resume) log(`job ${id} continues from its checkpoint`);
      let offset = data.contentBytes;
      const next = (bytes: number) => images.subarray(offset, (offset += bytes));
      const engineJob: EngineJob = {
        content: images.subarray(0, data.contentBytes),
        styles: data.styles.map((s) => ({ weight: s.weight, bytes: next(s.bytes), ...(s.maskBytes !== undefined && { mask: next(s.maskBytes) }) })),
        ...(data.contentMaskBytes !== undefined && { contentMask: next(data.contentMaskBytes) }),
        ...(data.initImageBytes !== undefined && { initImage: next(data.initImageBytes) }),
        options: data.options,
        contentSide: data.contentSide,
        styleSide: data.styleSide,
        preview: data.preview,
      };
      const outcome = await engines.run(
        id,
        engineJob,
        {
          onProgress: (progress) => void job.updateProgress(progress).catch(() => {}),
          onPreview: (preview) => {
            const message = JSON.stringify({ jobId: id, preview });
            void commands.set(poolKeys.lastPreview(id), JSON.stringify(preview), 'PX', Math.round(data.maxJobSeconds * 1000)).catch(() => {});
            void commands.publish(poolKeys.previewChannel, message).catch(() => {});
          },
          onCheckpoint: saveCheckpoint,
          onResumeRefused: (reason) => log(`job ${id}: its checkpoint cannot be continued here (${reason}); painting it from the start`),
        },
        {
          signal: entry.controller.signal,
          wallTimeMs: data.maxJobSeconds * 1000,
          timeLimitMessage: `the job ran longer than ${data.maxJobSeconds} s (limit --max-job-seconds ${data.maxJobSeconds})`,
        },
        { file: checkpointFile, resume },
      );
      await saving; // the attempt that follows a hand-back or a retried failure continues the last checkpoint
      if (entry.handBack) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (outcome.state === 'failed' && RETRYABLE.includes(outcome.error.code) && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) {
        throw new Error(outcome.error.message); // BullMQ puts it back in line; the last attempt's failure is the job's
      }
      let ended: PoolOutcome;
      if (outcome.state === 'succeeded') {
        const { png, width, height, stats } = outcome.result;
        const ref = await blobs.put(`${id}-result`, png, data.keepResultsMs);
        ended = { state: 'succeeded', worker: name, result: { ref, width, height, bytes: png.byteLength, stats } };
      } else {
        ended = outcome.state === 'failed' ? { state: 'failed', worker: name, error: outcome.error } : { state: 'cancelled', worker: name, reason: outcome.reason };
      }
      await blobs.delete(data.images);
      await checkpoints.discard(id);
      await commands.del(poolKeys.lastPreview(id), poolKeys.cancel(id));
      return ended;
    } finally {
      running.delete(id);
      await rm(checkpointFile, { force: true });
      void announce();
    }
  };

  const worker = new Worker<PoolJobData, PoolOutcome>(QUEUE_NAME, paint, {
    connection: connections.bullmq as never,
    name,
    concurrency: config.concurrency,
    lockDuration: config.lockSeconds * 1000,
    stalledInterval: config.stalledCheckSeconds * 1000,
    maxStalledCount: config.maxStalls,
  });
  let lastError: string | undefined; // said once, not at every reconnection attempt
  worker.on('error', (error) => error.message !== lastError && log(`worker: ${(lastError = error.message)}`));
  connections.bullmq.on('ready', () => (lastError = undefined));
  worker.on('active', (job) => log(`job ${job.id} started (${(job.data as PoolJobData).owner}, attempt ${job.attemptsStarted})`));
  worker.on('completed', (job, outcome) => log(`job ${job.id} ${outcome.state}`));
  worker.on('failed', (job, error) => error.name !== 'WaitingError' && log(`job ${job?.id} attempt failed: ${error.message}`));
  await announce();

  const handBackRunning = () => {
    for (const entry of running.values()) {
      entry.handBack = true;
      entry.controller.abort(new JobStopped('keep', 'the worker is shutting down; the job goes back in line'));
    }
  };
  let closing: Promise<void> | undefined;
  return {
    name,
    engines,
    handBackRunning,
    close(mode) {
      closing ??= (async () => {
        state = 'draining';
        await announce();
        const closed = worker.close(); // takes no more jobs, waits for the running ones
        if (mode === 'hand-back') handBackRunning();
        await closed;
        clearInterval(announcer);
        await commands.del(poolKeys.worker(name)).catch(() => {});
        await engines.close();
        await connections.close();
        await rm(checkpointDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
