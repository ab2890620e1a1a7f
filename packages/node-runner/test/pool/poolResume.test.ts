import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { createRunner, type Runner } from '../../src/serve/createRunner.ts';
import { json, readJobEvents, type ReceivedEvent } from '../serve/helpers/runner.ts';
import { repoRoot, weightsPath } from '../helpers/paths.ts';
import { startWorkerProcess, type WorkerProcess } from './helpers/poolWorkerProcess.ts';
import { startRedisServer, type RedisServer } from './helpers/redisServer.ts';

// Real Redis, a real `pastiche serve --queue` (in this process) and two real `pastiche worker` processes on
// onnx-cpu (deterministic for a seed), painting with the real weights.
const EVALUATIONS = 200;
const KILL_AT = 0.8 * EVALUATIONS;
/** The workers checkpoint exactly this often (the default rule stretches the interval on a loaded machine). */
const CHECKPOINT_EVERY = 20;
const OPTIONS = { size: 96, evaluations: EVALUATIONS, seed: 9, contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'] };
const IMAGES = path.resolve(repoRoot, '../shared/images');

let redis: RedisServer;
let server: Runner;
let keys: Redis;
const workers = new Map<string, WorkerProcess>();

before(async () => {
  redis = await startRedisServer();
  keys = new Redis(redis.url);
  server = await createRunner({ port: 0, backend: 'wasm', weights: weightsPath, configDir: await mkdtemp(path.join(tmpdir(), 'pastiche-pool-resume-')), queue: redis.url, attempts: 3 });
  for (const name of ['w1', 'w2']) workers.set(name, await startWorkerProcess(redis.url, name, ['--checkpoint-every', String(CHECKPOINT_EVERY)], 'onnx-cpu'));
});
after(async () => {
  await Promise.all([...workers.values()].map((w) => w.kill('SIGKILL')));
  keys?.disconnect();
  await server?.close();
  await redis?.stop();
});

const api = (route: string, init: RequestInit = {}) => fetch(`${server.url}${route}`, { ...init, headers: { authorization: `Bearer ${server.token}`, ...(init.headers as Record<string, string>) } });
async function submit() {
  const [content, style] = await Promise.all([readFile(path.join(IMAGES, 'tubingen.jpg')), readFile(path.join(IMAGES, 'starry_night.jpg'))]);
  const body = encodeJobEnvelope({ content: new Uint8Array(content), styles: [{ image: new Uint8Array(style) }], options: OPTIONS });
  const response = await api('/v1/jobs', { method: 'POST', body, headers: { 'content-type': JOB_CONTENT_TYPE } });
  assert.equal(response.status, 202, await response.clone().text());
  return (await response.json()).id as string;
}
const streamOf = (id: string, onEvent?: (e: ReceivedEvent) => void) => readJobEvents({ api: (route: string, init?: RequestInit) => api(route, init) } as never, id, { onEvent });
const result = async (id: string) => Buffer.from(await (await api(`/v1/jobs/${id}/result`)).arrayBuffer());

describe('pastiche worker: a retried job continues from its last checkpoint', () => {
  test('SIGKILL the worker at 80 %: the job finishes on the other worker with at most one checkpoint interval painted twice, and the same image as an uninterrupted run', async () => {
    const id = await submit();
    let killed: Promise<void> | undefined;
    let victim = '';
    const { events } = await streamOf(id, (e) => {
      if (killed || e.event !== 'progress' || e.data.totalEvaluation < KILL_AT) return;
      killed = (async () => {
        victim = (await json(await api(`/v1/jobs/${id}`))).worker;
        await workers.get(victim)!.kill('SIGKILL');
        workers.delete(victim);
      })();
    });
    await killed;
    assert.equal(events.at(-1)!.event, 'done', JSON.stringify(events.at(-1)));
    const requeue = events.findIndex((e) => e.event === 'requeued');
    assert.ok(requeue > 0, `no requeue: ${events.map((e) => e.event).join(', ')}`);
    const progressOf = (list: ReceivedEvent[]) => list.filter((e) => e.event === 'progress').map((e) => e.data.totalEvaluation as number);
    const beforeKill = Math.max(...progressOf(events.slice(0, requeue)));
    const resumedAfter = progressOf(events.slice(requeue))[0] - 1;
    const survivor = [...workers.values()][0];
    assert.match(survivor.output(), new RegExp(`job ${id} continues from its checkpoint`));
    assert.ok(beforeKill >= KILL_AT && beforeKill < EVALUATIONS, `killed after ${beforeKill} evaluations`);
    // Painted in all: beforeKill + (EVALUATIONS - resumedAfter); the uninterrupted run paints EVALUATIONS.
    const repeated = beforeKill - resumedAfter;
    // One interval: a checkpoint comes at the first step boundary CHECKPOINT_EVERY evaluations on, and an L-BFGS step
    // may take a line search's extra evaluation or two.
    assert.ok(repeated >= 0 && repeated <= CHECKPOINT_EVERY + 2, `resumed after ${resumedAfter} evaluations, killed after ${beforeKill}: ${repeated} painted twice`);
    const status = await json(await api(`/v1/jobs/${id}`));
    assert.deepEqual([status.status, status.worker !== victim], ['succeeded', true]);
    assert.deepEqual(await keys.keys('pastiche:checkpoint:*'), [], 'the checkpoint is deleted once the job ends');

    const again = await submit();
    assert.equal((await streamOf(again)).events.at(-1)!.event, 'done');
    assert.ok((await result(id)).equals(await result(again)), 'the resumed job painted another image than the uninterrupted one');
  });
});
