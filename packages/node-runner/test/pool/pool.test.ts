import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import sharp from 'sharp';
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { connectPool } from '../../src/pool/connectPool.ts';
import { QUEUE_NAME } from '../../src/pool/poolKeys.ts';
import { parseQueueUrl } from '../../src/pool/redisConnection.ts';
import { createRunner, type Runner } from '../../src/serve/createRunner.ts';
import { addUserToken, revokeUserToken } from '../../src/serve/userTokens.ts';
import { fixtures, json, readJobEvents, SHALLOW, type ReceivedEvent } from '../serve/helpers/runner.ts';
import { weightsPath } from '../helpers/paths.ts';
import { startWorkerProcess, type WorkerProcess } from './helpers/poolWorkerProcess.ts';
import { startRedisServer, type RedisServer } from './helpers/redisServer.ts';

// Real Redis, a real `pastiche serve --queue` (in this process) and real `pastiche worker` processes.
let redis: RedisServer;
let configDir: string;
let server: Runner;
const workers = new Map<string, WorkerProcess>();
const tokens: Record<string, string> = {};

const startServer = () =>
  createRunner({ port: 0, backend: 'wasm', weights: weightsPath, configDir, queue: redis.url, queueCap: 50, cancelGraceSeconds: 2, attempts: 3 });

function api(route: string, init: RequestInit & { token?: string } = {}) {
  const { token = server.token, ...rest } = init;
  return fetch(`${server.url}${route}`, { ...rest, headers: { authorization: `Bearer ${token}`, ...(rest.headers as Record<string, string>) } });
}
async function submit(options: object, token = server.token) {
  const { content, style } = await fixtures();
  const body = encodeJobEnvelope({ content, styles: [{ image: style }], options: { ...SHALLOW, ...options } });
  return api('/v1/jobs', { method: 'POST', body, token, headers: { 'content-type': JOB_CONTENT_TYPE } });
}
const health = async () => json(await fetch(`${server.url}/v1/health`));
const streamOf = (id: string, onEvent?: (e: ReceivedEvent) => void, token = server.token) =>
  readJobEvents({ api: (route: string, init?: RequestInit) => api(route, { ...init, token } as never), token } as never, id, { onEvent });
const healthAs = async (token?: string) => json(await fetch(`${server.url}/v1/health`, token ? { headers: { authorization: `Bearer ${token}` } } : {}));
/** Every job route's answer (status and body, the id left out), as a user would see a job that does not exist. */
async function jobRouteAnswers(id: string, token: string) {
  const routes: Array<[string, string]> = [[`/v1/jobs/${id}`, 'GET'], [`/v1/jobs/${id}/events`, 'GET'], [`/v1/jobs/${id}/result`, 'GET'], [`/v1/jobs/${id}`, 'DELETE']];
  return Promise.all(routes.map(async ([route, method]) => {
    const response = await api(route, { method, token });
    return { route: `${method} ${route.replace(id, 'ID')}`, status: response.status, body: (await response.text()).replaceAll(id, 'ID') };
  }));
}
const FINAL_EVENT_STATE: Record<string, string> = { done: 'succeeded', failed: 'failed', cancelled: 'cancelled' };
async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function startWorker(name: string) {
  const worker = await startWorkerProcess(redis.url, name);
  workers.set(name, worker);
  await until(`${name} in health`, async () => (await health()).pool.workers.some((w: { name: string }) => w.name === name));
  return worker;
}
async function pngSize(response: Response) {
  const { width, height } = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
  return { width, height };
}

before(async () => {
  redis = await startRedisServer();
  configDir = await mkdtemp(path.join(tmpdir(), 'pastiche-pool-'));
  tokens.ana = await addUserToken(configDir, 'ana');
  tokens.ben = await addUserToken(configDir, 'ben');
  tokens.ops = await addUserToken(configDir, 'ops', 'operator');
  server = await startServer();
  await Promise.all([startWorker('w1'), startWorker('w2')]);
});
after(async () => {
  await Promise.all([...workers.values()].map((w) => w.kill('SIGKILL')));
  await server?.close();
  await redis?.stop();
});

describe('pastiche serve --queue with pastiche workers', () => {
  test('health lists the pool: both workers, their engine and device, the queue', async () => {
    const h = await health();
    assert.equal(h.pool.queue.available, true);
    assert.equal(h.pool.queue.url, redis.url);
    assert.deepEqual(h.pool.workers.map((w: { name: string }) => w.name), ['w1', 'w2']);
    for (const w of h.pool.workers) assert.deepEqual([w.backend, w.concurrency, w.state, w.engine.processes.length], ['wasm', 1, 'running', 1]);
    assert.equal(h.backend, 'wasm');
    assert.deepEqual(h.queue, { queued: 0, running: 0, kept: 0 });
  });

  test('ten jobs from two users: all complete, on both workers, each result its own; the users take turns', async () => {
    const submitted: Array<{ id: string; owner: string; size: number }> = [];
    // The workers wait (BullMQ's global pause) until both users have queued: these jobs take well under a
    // second, so otherwise ana's could all be painted before ben's first arrives, and the order would say nothing.
    const connections = connectPool(parseQueueUrl(redis.url), 'server');
    const queue = new Queue(QUEUE_NAME, { connection: connections.bullmq as never });
    try {
      await queue.pause();
      for (const owner of ['ana', 'ben']) {
        for (let i = 0; i < 5; i++) {
          const size = 24 + 4 * submitted.length;
          const response = await submit({ size, evaluations: 8, seed: submitted.length }, tokens[owner]);
          assert.equal(response.status, 202, await response.clone().text());
          submitted.push({ id: (await response.json()).id, owner, size });
        }
      }
    } finally {
      await queue.resume();
      await queue.close();
      await connections.close();
    }
    const finals = await Promise.all(submitted.map(async ({ id }) => (await streamOf(id)).events.at(-1)!));
    assert.deepEqual(finals.map((e) => e.event), Array(10).fill('done'));
    const statuses = await Promise.all(submitted.map(async ({ id }) => json(await api(`/v1/jobs/${id}`))));
    for (const [i, { id, size }] of submitted.entries()) {
      assert.equal(statuses[i].status, 'succeeded');
      assert.equal(statuses[i].seed, i);
      const result = await api(`/v1/jobs/${id}/result`);
      assert.equal(result.status, 200);
      const { width, height } = await pngSize(result);
      assert.equal(Math.max(width!, height!), size, `job ${i}'s result is its own (${size} px)`);
    }
    const byWorker = new Set(statuses.map((s) => s.worker));
    assert.deepEqual([...byWorker].sort(), ['w1', 'w2'], 'both workers painted');
    // ana queued five before ben queued any, yet they take turns: each one's k-th job starts no later than anyone's
    // (k+1)-th (a worker takes a job when it finishes one: two takes can fall in the same millisecond).
    const startOf = (owner: string, k: number) => Date.parse(statuses[submitted.findIndex((s) => s.owner === owner) + k].startedAt);
    const order = submitted.map((s, i) => ({ owner: s.owner, startedAt: statuses[i].startedAt })).sort((a, b) => a.startedAt.localeCompare(b.startedAt)).map((s) => s.owner);
    for (let k = 0; k < 4; k++) {
      assert.ok(Math.max(startOf('ana', k), startOf('ben', k)) <= Math.min(startOf('ana', k + 1), startOf('ben', k + 1)), `turn ${k + 1}: start order ${order.join(', ')}`);
    }
  });

  test('twenty jobs, each polled by six clients and watched by two streams: no job is ever reported in a terminal state but its final one', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await submit({ size: 24, evaluations: 3, seed: i }, tokens[i % 2 ? 'ana' : 'ben']);
      assert.equal(response.status, 202, await response.clone().text());
      ids.push((await response.json()).id);
    }
    const misreports: string[] = [];
    await Promise.all(ids.map(async (id, i) => {
      const owner = tokens[i % 2 ? 'ana' : 'ben'];
      const seen = new Set<string>();
      let watching = true;
      const poller = async () => {
        while (watching) {
          const status = await json(await api(`/v1/jobs/${id}`, { token: owner }));
          if (['succeeded', 'failed', 'cancelled'].includes(status.status)) seen.add(`${status.status}${status.error ? ` (${status.error.message})` : ''}`);
        }
      };
      const pollers = Array.from({ length: 6 }, poller);
      const streams = await Promise.all([streamOf(id, undefined, owner), streamOf(id, undefined, owner)]);
      watching = false;
      await Promise.all(pollers);
      const final = (await json(await api(`/v1/jobs/${id}`, { token: owner }))).status;
      for (const { events } of streams) seen.add(FINAL_EVENT_STATE[events.at(-1)!.event] ?? events.at(-1)!.event);
      for (const state of seen) if (state !== final) misreports.push(`job ${i} reported ${state}, final ${final}`);
    }));
    assert.deepEqual(misreports, []);
  });

  test("the pool answers another user's job as one that does not exist, on every route; health lists a user's own running jobs only; operators see all", async () => {
    const { id } = await json(await submit({ size: 64, evaluations: 2000 }, tokens.ana));
    await until('running', async () => (await json(await api(`/v1/jobs/${id}`, { token: tokens.ana }))).status === 'running');
    assert.deepEqual(await jobRouteAnswers(id, tokens.ben), await jobRouteAnswers('00000000-0000-4000-8000-000000000000', tokens.ben));
    assert.equal((await api(`/v1/jobs/${id}`, { token: tokens.ben })).status, 404);
    assert.equal((await json(await api(`/v1/jobs/${id}`, { token: tokens.ana }))).status, 'running', "ben's DELETE did nothing");
    const listed = async (token?: string) => (await healthAs(token)).pool.workers.flatMap((w: { jobs: string[] }) => w.jobs);
    await until('the job in its worker\'s announcement', async () => (await listed(server.token)).includes(id));
    assert.deepEqual(await listed(tokens.ana), [id]);
    assert.deepEqual(await listed(tokens.ben), []);
    assert.deepEqual(await listed(), [], 'anonymous health names no job');
    assert.ok((await listed(tokens.ops)).includes(id));
    assert.equal((await healthAs(tokens.ben)).queue.running, 1, 'counts include everyone');
    assert.equal((await json(await api(`/v1/jobs/${id}`, { token: tokens.ops }))).status, 'running');
    const cancelled = await json(await api(`/v1/jobs/${id}`, { method: 'DELETE', token: tokens.ops }));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await json(await api(`/v1/jobs/${id}`, { token: tokens.ana }))).status, 'cancelled');
  });

  test('per-user queue cap in the pool: a 429 naming --user-queue-cap; an operator is not limited', async () => {
    await server.close();
    server = await createRunner({ port: 0, backend: 'wasm', weights: weightsPath, configDir, queue: redis.url, queueCap: 50, userQueueCap: 1, cancelGraceSeconds: 2, attempts: 3 });
    try {
      const blockers = [await submit({ size: 64, evaluations: 2000 }, tokens.ben), await submit({ size: 64, evaluations: 2000 }, tokens.ben)];
      const ids = await Promise.all(blockers.map(async (r) => (await json(r)).id as string));
      await until('both workers busy', async () => (await health()).queue.running === 2);
      const waiting = await submit({}, tokens.ana);
      assert.equal(waiting.status, 202);
      const refused = await submit({}, tokens.ana);
      assert.equal(refused.status, 429);
      assert.match((await json(refused)).error, /ana has 1 job\(s\) waiting, the most one user may \(limit --user-queue-cap 1\)/);
      const operator = await submit({}, tokens.ops);
      assert.equal(operator.status, 202);
      for (const id of [...ids, (await json(waiting)).id, (await json(operator)).id]) await api(`/v1/jobs/${id}`, { method: 'DELETE' });
    } finally {
      await server.close();
      server = await startServer();
    }
  });

  test('masks travel with the job: complementary style masks and a content mask paint otherwise than the same job without them', async () => {
    const { content, style } = await fixtures();
    const half = (left: boolean) =>
      sharp({ create: { width: 8, height: 8, channels: 3, background: 'black' } })
        .composite([{ input: { create: { width: 4, height: 8, channels: 3, background: 'white' } }, left: left ? 0 : 4, top: 0 }])
        .png()
        .toBuffer()
        .then((b) => new Uint8Array(b));
    const [left, right] = await Promise.all([half(true), half(false)]);
    const paint = async (masked: boolean) => {
      const styles = [{ image: style, ...(masked && { mask: left }) }, { image: content, ...(masked && { mask: right }) }];
      const body = encodeJobEnvelope({ content, ...(masked && { contentMask: left }), styles, options: { ...SHALLOW, size: 32, evaluations: 4, seed: 7 } });
      const { id } = await json(await api('/v1/jobs', { method: 'POST', body, headers: { 'content-type': JOB_CONTENT_TYPE } }));
      const status = await until(`job ${id} done`, async () => {
        const s = await json(await api(`/v1/jobs/${id}`));
        return FINAL_EVENT_STATE.done === s.status || s.status === 'failed' ? s : undefined;
      });
      assert.equal(status.status, 'succeeded', JSON.stringify(status.error));
      return Buffer.from(await (await api(`/v1/jobs/${id}/result`)).arrayBuffer());
    };
    const [masked, unmasked] = [await paint(true), await paint(false)];
    assert.notDeepEqual(masked, unmasked, 'the worker painted the masked job as if it had no masks');
  });

  test('the init image travels with the job: a one-evaluation refine returns its colours', async () => {
    const { content, style } = await fixtures();
    const init = new Uint8Array(await sharp({ create: { width: 48, height: 36, channels: 3, background: { r: 200, g: 40, b: 90 } } }).png().toBuffer());
    const body = encodeJobEnvelope({ content, initImage: init, styles: [{ image: style }], options: { ...SHALLOW, size: 32, evaluations: 1, init: 'image' } });
    const { id } = await json(await api('/v1/jobs', { method: 'POST', body, headers: { 'content-type': JOB_CONTENT_TYPE } }));
    const status = await until(`job ${id} done`, async () => {
      const s = await json(await api(`/v1/jobs/${id}`));
      return FINAL_EVENT_STATE.done === s.status || s.status === 'failed' ? s : undefined;
    });
    assert.equal(status.status, 'succeeded', JSON.stringify(status.error));
    const result = Buffer.from(await (await api(`/v1/jobs/${id}/result`)).arrayBuffer());
    const means = (await sharp(result).stats()).channels.slice(0, 3).map((c) => Math.round(c.mean));
    assert.ok(means.every((m, i) => Math.abs(m - [200, 40, 90][i]) < 3), `the worker started from ${means}, not the init image`);
  });

  test('a bad input fails once, without retries, with its error named', async () => {
    const response = await submit({ styleLayers: ['block4_conv1'] });
    assert.equal(response.status, 400, 'the workers announced their layers: the server refuses it at once');
    assert.match((await json(response)).error, /block4_conv1/);
  });

  test('cancel reaches the worker that runs the job', async () => {
    const { id } = await json(await submit({ size: 64, evaluations: 2000 }));
    const seen: ReceivedEvent[] = [];
    const stream = streamOf(id, (e) => seen.push(e));
    await until('progress', async () => seen.some((e) => e.event === 'progress' && e.data.totalEvaluation >= 2));
    const running = await json(await api(`/v1/jobs/${id}`));
    assert.equal(running.status, 'running');
    const cancelled = await json(await api(`/v1/jobs/${id}`, { method: 'DELETE' }));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.worker, running.worker);
    assert.ok(cancelled.progress.totalEvaluation < 1000, `stopped after ${cancelled.progress.totalEvaluation} evaluations`);
    await stream;
    assert.equal(seen.at(-1)!.event, 'cancelled');
    assert.equal((await api(`/v1/jobs/${id}/result`)).status, 409);
  });

  test('a revoked user token is refused at once', async () => {
    const token = await addUserToken(configDir, 'cleo');
    assert.equal((await api('/v1/pairing', { token })).status, 204);
    await revokeUserToken(configDir, 'cleo');
    assert.equal((await api('/v1/pairing', { token })).status, 401);
  });

  test('SIGKILL a worker mid-job: the job is retried on the other worker, the stream says so and goes on', async () => {
    const { id } = await json(await submit({ size: 64, evaluations: 300 }));
    const seen: ReceivedEvent[] = [];
    const stream = streamOf(id, (e) => seen.push(e));
    await until('progress', async () => seen.some((e) => e.event === 'progress' && e.data.totalEvaluation >= 3));
    const victim = (await json(await api(`/v1/jobs/${id}`))).worker as string;
    await workers.get(victim)!.kill('SIGKILL');
    workers.delete(victim);
    const { events } = await stream;
    const types = events.map((e) => e.event).filter((t) => t !== 'progress' && t !== 'preview');
    const requeue = types.indexOf('requeued');
    assert.ok(requeue > 0, `events: ${types.join(', ')}`);
    assert.deepEqual(types.slice(requeue), ['requeued', 'queued', 'started', 'done']);
    assert.match(events.find((e) => e.event === 'requeued')!.data.reason, /stopped answering/);
    assert.equal(events.find((e) => e.event === 'requeued')!.data.attempt, 2);
    const status = await json(await api(`/v1/jobs/${id}`));
    assert.equal(status.status, 'succeeded');
    assert.notEqual(status.worker, victim);
    assert.equal((await api(`/v1/jobs/${id}/result`)).status, 200);
    await until(`${victim} gone from health`, async () => !(await health()).pool.workers.some((w: { name: string }) => w.name === victim), 15_000);
  });

  test('restart the server with jobs queued: they run after the restart', async () => {
    await Promise.all([...workers.values()].map((w) => w.stop())); // graceful: finish, then exit
    workers.clear();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await json(await submit({ size: 24 + 8 * i }))).id);
    assert.equal((await health()).queue.queued, 3);
    await server.close();
    server = await startServer();
    const queued = await Promise.all(ids.map(async (id) => (await json(await api(`/v1/jobs/${id}`))).status));
    assert.deepEqual(queued, ['queued', 'queued', 'queued']);
    await startWorker('w3');
    for (const [i, id] of ids.entries()) {
      assert.equal((await streamOf(id)).events.at(-1)!.event, 'done');
      assert.deepEqual(await pngSize(await api(`/v1/jobs/${id}/result`)), { width: 24 + 8 * i, height: Math.round(((24 + 8 * i) * 36) / 48) });
    }
  });

  test('Redis down: health says the queue is unavailable, jobs get a 503 naming it; both recover when it returns', async () => {
    await redis.stop();
    const down = await until('unavailable', async () => {
      const h = await health();
      return h.pool.queue.available === false && h;
    });
    assert.match(down.pool.queue.error, /ECONNREFUSED|connect|closed|reconnecting/i);
    const refused = await submit({});
    assert.equal(refused.status, 503);
    assert.match((await json(refused)).error, new RegExp(`the job queue \\(Redis at ${redis.url.replace(/[/.]/g, '\\$&')}\\) is unavailable.*refused until it is back`));

    await redis.restart();
    await until('available again', async () => (await health()).pool.queue.available === true, 30_000);
    await until('the worker back in health', async () => (await health()).pool.workers.length === 1, 30_000);
    const response = await submit({});
    assert.equal(response.status, 202);
    assert.equal((await streamOf((await response.json()).id)).events.at(-1)!.event, 'done');
  });

  test('a job Redis lost (restarted without its data) is answered as lost to its owner, as missing to anyone else', async () => {
    const { id } = await json(await submit({ size: 64, evaluations: 2000 }, tokens.ana));
    await redis.stop();
    await redis.restart();
    await until('available again', async () => (await health()).pool.queue.available === true, 30_000);
    const lost = await api(`/v1/jobs/${id}`, { token: tokens.ana });
    assert.equal(lost.status, 404);
    assert.match((await json(lost)).error, /was accepted, but the job queue no longer has it: Redis lost its data/);
    assert.match((await json(await api(`/v1/jobs/${id}`, { token: tokens.ops }))).error, /no longer has it/);
    assert.match((await json(await api(`/v1/jobs/${id}`, { token: tokens.ben }))).error, /^no job .*: never submitted/);
  });
});
