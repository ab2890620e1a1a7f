import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Job, Queue, QueueEvents } from 'bullmq';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { JobProgressSchema, JobPreviewSchema, type JobEvent } from '@pastiche/web-bridge/wire';
import { HttpError, limitInfo } from '../errors/HttpError.ts';
import { assertUserRoom } from '../queue/assertUserRoom.ts';
import type { JobInputs, JobQueue, JobView } from '../queue/JobQueue.ts';
import type { Caller } from '../queue/Caller.ts';
import { isRequeue, jobsInLine } from './bullmqInternals.ts';
import type { BlobStore } from './createBlobStore.ts';
import { outcomeEvent, viewOfPoolJob, type CancelledWhileQueued } from './poolJobView.ts';
import { createPoolCheckpoints } from './poolCheckpoints.ts';
import { POOL_INPUT_TTL_MS as INPUT_TTL_MS, poolKeys, QUEUE_NAME } from './poolKeys.ts';
import { isPoolJobData, isPoolPreviewMessage, type PoolJobData } from './poolMessages.ts';
import type { PoolConnections } from './connectPool.ts';

const isProgress = TypeCompiler.Compile(JobProgressSchema);
const isPreview = TypeCompiler.Compile(JobPreviewSchema);
/** BullMQ's highest priority number. */
const LOWEST_PRIORITY = 2_097_152;

export interface PoolJobQueueOptions {
  connections: PoolConnections;
  blobs: BlobStore;
  queueCap: number;
  /** Jobs one caller may have waiting (operators: no such limit). */
  userQueueCap: number;
  keepResultsMs: number;
  maxJobSeconds: number;
  /** Attempts of a job whose worker is lost or whose engine fails (a refused input is never retried). */
  attempts: number;
  /** How long a DELETE waits for a running job's worker to confirm the cancel. */
  cancelWaitMs: number;
  /** Deletes a job's uploaded images once they are in the pool's store. */
  discardInputs(inputs: JobInputs): Promise<void>;
  log(line: string): void;
}

/**
 * The queue of `pastiche serve --queue`: jobs go to BullMQ, their images to the blob store; `pastiche worker`s
 * paint them. Nothing lives only in this process: a restarted server finds every job in Redis. Events come back
 * from BullMQ's event stream (started, progress, the outcome, requeues) and, for previews, Redis pub/sub.
 *
 * Fairness: a job's BullMQ priority is 1 + the number of its owner's jobs still queued or running, so owners
 * take turns (each one's first job before anyone's second), FIFO within a turn, whoever queued twenty first.
 * The owner is the caller this server identified by its token; the worker only reads it (for its log).
 *
 * Status: BullMQ moves a job to completed and writes its return value in one script, but a job's state and its
 * data are two reads. Read data first and a job finishing in between looks completed without a return value;
 * so `get` reads the state first: the data read after it is at least as new (a job read as running may have
 * finished since, never the reverse).
 */
export function createPoolJobQueue(options: PoolJobQueueOptions): JobQueue {
  const { connections, blobs, keepResultsMs, log } = options;
  const { commands } = connections;
  const checkpoints = createPoolCheckpoints(commands, blobs);
  const queue = new Queue(QUEUE_NAME, { connection: connections.bullmq as never });
  queue.on('error', () => {});
  const events = new QueueEvents(QUEUE_NAME, { connection: connections.blocking as never });
  events.on('error', () => {});
  const listeners = new Map<string, Set<(event: JobEvent) => void>>();
  const positions = new Map<string, number>();
  const stalled = new Set<string>();
  /**
   * Jobs this process accepted, until they expire, so that one Redis lost (restarted empty) is told apart from one
   * forgotten. A job whose end this process never saw is gone by design once its images would have expired too.
   */
  const accepted = new Map<string, { owner: string; acceptedAt: number; finishedAt?: number }>();
  const finishedNow = (id: string) => {
    const entry = accepted.get(id);
    if (entry && entry.finishedAt === undefined) entry.finishedAt = Date.now();
  };
  const expired = ({ acceptedAt, finishedAt }: { acceptedAt: number; finishedAt?: number }) =>
    (finishedAt ?? acceptedAt + INPUT_TTL_MS) + keepResultsMs < Date.now();

  const emit = (id: string, event: JobEvent) => {
    for (const listener of [...(listeners.get(id) ?? [])]) {
      try {
        listener(event);
      } catch {
        listeners.get(id)?.delete(listener);
      }
    }
  };

  // Events are handled one after the other, so that a requeue (which reads the job first) keeps its place.
  let chain = Promise.resolve();
  const inOrder = (handle: () => Promise<void> | void) => {
    chain = chain.then(handle).catch((error) => log(`pool event: ${(error as Error).message}`));
  };
  let positionsPending = false;
  const refreshPositions = () => {
    if (positionsPending || listeners.size === 0) return;
    positionsPending = true;
    inOrder(async () => {
      positionsPending = false;
      const line = await jobsInLine(queue);
      line.forEach((id, i) => {
        if (!listeners.has(id) || positions.get(id) === i + 1) return;
        positions.set(id, i + 1);
        emit(id, { type: 'queued', data: { position: i + 1 } });
      });
    });
  };

  events.on('active', ({ jobId }) =>
    inOrder(() => {
      positions.delete(jobId);
      emit(jobId, { type: 'started', data: { startedAt: new Date().toISOString() } });
      refreshPositions();
    }),
  );
  events.on('progress', ({ jobId, data }) => inOrder(() => void (isProgress.Check(data) && emit(jobId, { type: 'progress', data }))));
  events.on('completed', ({ jobId, returnvalue }) =>
    inOrder(() => {
      finishedNow(jobId);
      const event = outcomeEvent(typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue);
      if (event) emit(jobId, event);
    }),
  );
  events.on('failed', ({ jobId, failedReason }) =>
    inOrder(async () => {
      finishedNow(jobId);
      emit(jobId, { type: 'failed', data: { error: { code: 'engine_crashed', message: `the pool gave the job up: ${failedReason}` } } });
      await checkpoints.discard(jobId); // given up by BullMQ (lost too often): no attempt will continue it
    }),
  );
  events.on('stalled', ({ jobId }) => stalled.add(jobId)); // not in order: the requeue just before it waits for this
  events.on('waiting', (event) => {
    if (!isRequeue(event)) return refreshPositions();
    const { jobId } = event;
    inOrder(async () => {
      const job = await Job.fromId(queue, jobId);
      const reason = stalled.delete(jobId)
        ? 'the worker painting it stopped answering (killed, frozen or cut off from Redis); it waits for another worker'
        : job?.failedReason
          ? `its attempt failed (${job.failedReason}); it waits for another try`
          : 'its worker handed it back (shutting down); it waits for another worker';
      // Failed attempts and stalls so far, plus this one (read now, while another worker may already be on it).
      emit(jobId, { type: 'requeued', data: { reason, attempt: (job?.attemptsMade ?? 0) + (job?.stalledCounter ?? 0) + 1 } });
      log(`job ${jobId} requeued: ${reason}`);
      // Its place now (first, for a stalled job), even if a worker has taken it again meanwhile: 'started' follows.
      const position = (await jobsInLine(queue)).indexOf(jobId) + 1 || 1;
      positions.set(jobId, position);
      emit(jobId, { type: 'queued', data: { position } });
      refreshPositions();
    });
  });
  events.on('removed', () => refreshPositions());
  connections.subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.toString('utf8'));
    } catch {
      return;
    }
    if (isPoolPreviewMessage.Check(parsed) && isPreview.Check(parsed.preview)) emit(parsed.jobId, { type: 'preview', data: parsed.preview });
  });
  void connections.subscriber.subscribe(poolKeys.previewChannel).catch(() => {});
  const sweeper = setInterval(() => {
    void blobs.sweep().catch(() => {});
    for (const [id, entry] of accepted) if (expired(entry)) accepted.delete(id);
  }, 60_000).unref();

  const unavailable = () =>
    new HttpError(503, `the job queue (Redis at ${connections.display}) is unavailable (${connections.lastError() ?? commands.status}); jobs are refused until it is back`);
  const assertAvailable = () => {
    if (commands.status !== 'ready') throw unavailable();
  };
  /** Runs a request's Redis work, or answers 503 if Redis is away or goes away meanwhile (BullMQ would wait for it). */
  const guarded = async <T>(what: () => Promise<T>): Promise<T> => {
    assertAvailable();
    let timer: NodeJS.Timeout | undefined;
    const lost = new Promise<never>((_, reject) => {
      const check = () => (commands.status === 'ready' ? (timer = setTimeout(check, 250)) : reject(unavailable()));
      timer = setTimeout(check, 250);
    });
    try {
      return await Promise.race([what(), lost]);
    } finally {
      clearTimeout(timer);
      lost.catch(() => {});
    }
  };

  const counts = async () => {
    const c = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
    return { queued: c.waiting + c.prioritized + c.delayed, running: c.active, kept: c.completed + c.failed };
  };
  const ownedBy = (owner: string) => (job: Job | undefined) => (job?.data as PoolJobData | undefined)?.owner === owner;
  const assertRoom = async (caller: Caller) => {
    const { queued, running } = await counts();
    if (queued >= options.queueCap) {
      throw new HttpError(429, `the queue is full: ${queued} job(s) waiting and ${running} running (limit --queue-cap ${options.queueCap}); try again when one finishes`, undefined, limitInfo('queueCap', options.queueCap));
    }
    if (!caller.operator) assertUserRoom(caller.name, (await queue.getJobs(['waiting', 'prioritized', 'delayed'])).filter(ownedBy(caller.name)).length, options.userQueueCap);
  };

  /** Each owner's turn: 1 + their jobs not finished yet (job data is small: the images are elsewhere). */
  const priorityFor = async (owner: string) => {
    const unfinished = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active']);
    return Math.min(LOWEST_PRIORITY, 1 + unfinished.filter(ownedBy(owner)).length);
  };

  const get = async (id: string): Promise<JobView | undefined> => {
    // The state first, then the data (see above); the tombstone of a job cancelled while queued is written before
    // the job is removed, so a job found gone has its tombstone already.
    const state = await queue.getJobState(id);
    const job = state === 'unknown' ? undefined : await Job.fromId(queue, id);
    if (!job) {
      const tombstone = await commands.get(poolKeys.cancelledWhileQueued(id));
      if (!tombstone) return undefined;
      const t = JSON.parse(tombstone) as CancelledWhileQueued;
      finishedNow(id);
      return { id, owner: t.owner, state: 'cancelled', createdAt: new Date(t.createdAt), finishedAt: new Date(t.finishedAt), seed: t.seed, cancelReason: t.reason, cancelRequested: true };
    }
    if (!isPoolJobData.Check(job.data)) return undefined;
    const [cancelRequested, preview, line] = await Promise.all([
      commands.exists(poolKeys.cancel(id)),
      state === 'active' ? commands.get(poolKeys.lastPreview(id)) : null,
      state === 'waiting' || state === 'prioritized' ? jobsInLine(queue) : ([] as string[]),
    ]);
    const view = viewOfPoolJob(job, state, { cancelRequested: cancelRequested > 0, lastPreview: preview ? JSON.parse(preview) : undefined, position: line.indexOf(id) + 1 || undefined });
    if (view.finishedAt) finishedNow(id);
    if (view.finishedAt && view.finishedAt.getTime() + keepResultsMs < Date.now()) return undefined; // expired (BullMQ removes it lazily)
    return view;
  };

  const untilFinished = (id: string, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const listener = (event: JobEvent) => ['done', 'failed', 'cancelled'].includes(event.type) && done();
      function done() {
        clearTimeout(timer);
        listeners.get(id)?.delete(listener);
        resolve();
      }
      subscribe(id, listener);
    });

  const subscribe = (id: string, listener: (event: JobEvent) => void) => {
    let set = listeners.get(id);
    if (!set) listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && listeners.get(id) === set) {
        listeners.delete(id);
        positions.delete(id);
      }
    };
  };

  return {
    assertRoom: (caller) => guarded(() => assertRoom(caller)),
    submit: (inputs: JobInputs, caller: Caller) =>
      guarded(async () => {
        await assertRoom(caller);
        const owner = caller.name;
        const id = randomUUID();
        // The images go from the upload's files to the store a chunk at a time; the files are deleted then.
        const images = [inputs.content, ...inputs.styles.flatMap((s) => (s.mask ? [s.bytes, s.mask] : [s.bytes])), ...(inputs.contentMask ? [inputs.contentMask] : []), ...(inputs.initImage ? [inputs.initImage] : [])];
        const files = images.map((image) => {
          if (image instanceof Uint8Array) throw new Error('internal error: the pool queue takes uploads kept on disk');
          return image.file;
        });
        const lengths = await Promise.all(files.map(async (file) => (await stat(file)).size));
        const ref = await blobs.put(`${id}-images`, { files }, INPUT_TTL_MS);
        await options.discardInputs(inputs);
        let next = 1;
        const data: PoolJobData = {
          owner,
          options: inputs.options,
          seed: inputs.options.seed,
          contentSide: inputs.contentSide,
          styleSide: inputs.styleSide,
          preview: inputs.preview,
          contentBytes: lengths[0],
          styles: inputs.styles.map((s) => ({ weight: s.weight, bytes: lengths[next++], ...(s.mask && { maskBytes: lengths[next++] }) })),
          ...(inputs.contentMask && { contentMaskBytes: lengths[next++] }),
          ...(inputs.initImage && { initImageBytes: lengths[next++] }),
          images: ref,
          maxJobSeconds: options.maxJobSeconds,
          keepResultsMs,
        };
        const keep = { age: Math.ceil(keepResultsMs / 1000) };
        const priority = await priorityFor(owner);
        await queue.add('paint', data, { jobId: id, priority, attempts: options.attempts, removeOnComplete: keep, removeOnFail: keep });
        accepted.set(id, { owner, acceptedAt: Date.now() });
        log(`job ${id} queued (${owner}, turn ${priority})`);
        return (await get(id)) ?? { id, owner, state: 'queued', createdAt: new Date(), seed: data.seed, cancelRequested: false };
      }),
    get: (id) => guarded(() => get(id)),
    lost: (id) => {
      const entry = accepted.get(id);
      return entry && !expired(entry) ? entry.owner : undefined;
    },
    subscribe,
    readResult: (view) =>
      guarded(async () => {
        const job = await Job.fromId(queue, view.id);
        const ref = (job?.returnvalue as { result?: { ref?: unknown } } | undefined)?.result?.ref;
        if (!ref) throw new HttpError(404, `the result of job ${view.id} is gone (expired)`, 'id');
        return blobs.get(ref as never);
      }),
    cancel: (view, reason = 'cancelled by the client') =>
      guarded(async () => {
        const job = await Job.fromId(queue, view.id);
        if (view.state === 'succeeded' || view.state === 'failed' || view.state === 'cancelled') {
          // Forgotten, with its result, as the in-memory queue does.
          const ref = (job?.returnvalue as { result?: { ref?: unknown } } | undefined)?.result?.ref;
          if (ref) await blobs.delete(ref as never);
          accepted.delete(view.id);
          await job?.remove().catch(() => {});
          await commands.del(poolKeys.cancelledWhileQueued(view.id));
          return view;
        }
        await commands.set(poolKeys.cancel(view.id), reason, 'PX', INPUT_TTL_MS);
        if (view.state === 'queued' && job) {
          // The tombstone goes first, so that a reader never finds the job gone without it; if a worker has just
          // taken the job (it is locked, the removal fails) it goes again, and that worker is told as for a running job.
          const tombstone: CancelledWhileQueued = { owner: view.owner, createdAt: view.createdAt.getTime(), finishedAt: Date.now(), seed: view.seed, reason };
          await commands.set(poolKeys.cancelledWhileQueued(view.id), JSON.stringify(tombstone), 'PX', Math.max(1, Math.round(keepResultsMs)));
          const removed = await job.remove().then(() => true, () => false);
          if (removed) {
            if (isPoolJobData.Check(job.data)) await blobs.delete(job.data.images);
            await checkpoints.discard(view.id); // a job requeued after a lost worker has one
            emit(view.id, { type: 'cancelled', data: { reason } });
            refreshPositions();
            return (await get(view.id))!;
          }
          await commands.del(poolKeys.cancelledWhileQueued(view.id));
        }
        const finished = untilFinished(view.id, options.cancelWaitMs);
        await commands.publish(poolKeys.cancelChannel, view.id);
        await finished;
        return (await get(view.id)) ?? view;
      }),
    counts: () => guarded(counts),
    abortRunning: () => {}, // this server paints nothing: its jobs wait in Redis for the workers
    async close() {
      clearInterval(sweeper);
      await events.close().catch(() => {});
      await queue.close().catch(() => {});
    },
  };
}

