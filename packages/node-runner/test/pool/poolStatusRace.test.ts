import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'bullmq';
import { FINISHED_STATES, type JobEvent } from '@pastiche/web-bridge/wire';
import { connectPool, type PoolConnections } from '../../src/pool/connectPool.ts';
import { createBlobStore } from '../../src/pool/createBlobStore.ts';
import { createPoolJobQueue } from '../../src/pool/createPoolJobQueue.ts';
import { QUEUE_NAME } from '../../src/pool/poolKeys.ts';
import type { PoolOutcome } from '../../src/pool/poolMessages.ts';
import { parseQueueUrl } from '../../src/pool/redisConnection.ts';
import type { JobQueue } from '../../src/queue/JobQueue.ts';
import { startRedisServer, type RedisServer } from './helpers/redisServer.ts';

// The pool's queue against real Redis, with a BullMQ worker in this process that completes each job with a
// well-formed outcome after a few milliseconds, while many pollers read every job as fast as they can (so
// that the server's Redis connection has a backlog, as under many outside clients) and listeners follow its
// events. The whole HTTP path is in pool.test.ts; here the reads are dense enough to hit a race within a run.
const JOBS = 30;
const POLLERS_PER_JOB = 25;
const operator = { name: 'owner', operator: true };

let redis: RedisServer;
let server: PoolConnections;
let workerConnections: PoolConnections;
let queue: JobQueue;
/** The pool takes uploads as the runner keeps them, on disk. */
let uploads: string;
let worker: Worker;

before(async () => {
  redis = await startRedisServer();
  uploads = await mkdtemp(path.join(tmpdir(), 'pastiche-race-uploads-'));
  server = connectPool(parseQueueUrl(redis.url), 'server');
  await server.ready(5000);
  queue = createPoolJobQueue({
    connections: server,
    blobs: createBlobStore({ redis: server.commands, inlineMaxBytes: 1024 * 1024 }),
    queueCap: JOBS,
    userQueueCap: JOBS,
    keepResultsMs: 600_000,
    maxJobSeconds: 60,
    attempts: 1,
    cancelWaitMs: 1000,
    discardInputs: async () => {},
    log: () => {},
  });
  workerConnections = connectPool(parseQueueUrl(redis.url), 'worker');
  const outcome = (seed: number): PoolOutcome => ({
    state: 'succeeded',
    worker: 'test-worker',
    result: {
      ref: { store: 'redis', key: `result-${seed}` },
      width: 8,
      height: 8,
      bytes: 1,
      stats: { evaluations: 1, elapsedMs: 1, loss: { total: 1, content: 0, style: 1, tv: 0 }, seed, backend: 'test', scales: [] },
    },
  });
  worker = new Worker(QUEUE_NAME, async (job) => {
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 30));
    return outcome(job.data.seed as number);
  }, { connection: workerConnections.bullmq as never, concurrency: 4, autorun: false }); // runs once every job has its listener
});
after(async () => {
  await worker?.close();
  await queue?.close('cancel', 0);
  await workerConnections?.close();
  await server?.close();
  await redis?.stop();
  if (uploads) await rm(uploads, { recursive: true, force: true });
});

describe('the pool queue under dense polling', () => {
  test(`${JOBS} jobs, ${POLLERS_PER_JOB} pollers and a listener each: every terminal state read or sent is the final one`, { timeout: 120_000 }, async () => {
    const misreports: string[] = [];
    const jobs = await Promise.all(
      Array.from({ length: JOBS }, async (_, seed) => {
        const [content, style] = [path.join(uploads, `${seed}-content`), path.join(uploads, `${seed}-style`)];
        await Promise.all([writeFile(content, new Uint8Array([1])), writeFile(style, new Uint8Array([2]))]);
        return queue.submit({ content: { file: content }, styles: [{ bytes: { file: style }, weight: 1 }], options: { seed }, contentSide: 8, styleSide: 8, preview: { every: 10, maxSide: 8 } }, operator);
      }),
    );
    const running = Promise.all(jobs.map(async ({ id }) => {
      const seen = new Set<string>();
      let final: string | undefined;
      const ended = new Promise<void>((resolve) => {
        const unsubscribe = queue.subscribe(id, (event: JobEvent) => {
          if (event.type !== 'done' && event.type !== 'failed' && event.type !== 'cancelled') return;
          seen.add(`event ${event.type}`);
          unsubscribe();
          resolve();
        });
      });
      const poller = async () => {
        for (;;) {
          const view = await queue.get(id);
          if (view && FINISHED_STATES.includes(view.state)) {
            seen.add(`${view.state}${view.error ? ` (${view.error.message})` : ''}`);
            if (final !== undefined) return;
          }
        }
      };
      const pollers = Array.from({ length: POLLERS_PER_JOB }, poller);
      await ended;
      final = (await queue.get(id))!.state;
      await Promise.all(pollers);
      for (const state of seen) if (state !== final && state !== 'event done') misreports.push(`job ${id}: ${state}, final ${final}`);
      assert.equal(final, 'succeeded');
    }));
    void worker.run().catch(() => {}); // a worker that cannot run leaves the jobs queued: the test's timeout ends it
    await running;
    assert.deepEqual(misreports, []);
  });
});
