import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { createRunner } from '../../src/serve/createRunner.ts';
import { addUserToken, USER_TOKENS_FILE_NAME } from '../../src/serve/userTokens.ts';
import { fixtures, health, json, readJobEvents, SHALLOW, startTestRunner, type TestRunner } from './helpers/runner.ts';
import { weightsPath } from '../helpers/paths.ts';

// A plain runner (in-memory queue) shared by two users, a user token with the operator role and the pairing token.
const LONG = { ...SHALLOW, size: 48, evaluations: 1000 };
const USER_QUEUE_CAP = 2;
const USER_MAX_SIDE = 48;
let runner: TestRunner;
let configDir: string;
const tokens: Record<'ana' | 'ben' | 'ops', string> = { ana: '', ben: '', ops: '' };
const lines: string[] = [];

before(async () => {
  configDir = await mkdtemp(path.join(tmpdir(), 'pastiche-owners-'));
  tokens.ana = await addUserToken(configDir, 'ana');
  tokens.ben = await addUserToken(configDir, 'ben');
  tokens.ops = await addUserToken(configDir, 'ops', 'operator');
  runner = await startTestRunner({ configDir, queueCap: 8, userQueueCap: USER_QUEUE_CAP, userMaxSide: USER_MAX_SIDE }, { log: (line) => lines.push(line) });
});
after(() => runner?.close());

const as = (who: keyof typeof tokens) => ({ token: tokens[who] });
async function untilStatus(id: string, status: string, token = runner.token) {
  for (let i = 0; i < 400; i++) {
    const body = await json(await runner.api(`/v1/jobs/${id}`, { token }));
    if (body.status === status) return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} never reached ${status}`);
}
/** What every job route answers for a job that does not exist, with the id left out. */
async function missingAnswers(id: string, token: string) {
  const routes: Array<[string, RequestInit & { token?: string | null }]> = [
    [`/v1/jobs/${id}`, { token }],
    [`/v1/jobs/${id}/events`, { token }],
    [`/v1/jobs/${id}/events?token=${token}`, { token: null }],
    [`/v1/jobs/${id}/result`, { token }],
    [`/v1/jobs/${id}/result?token=${token}`, { token: null }],
    [`/v1/jobs/${id}`, { token, method: 'DELETE' }],
  ];
  return Promise.all(routes.map(async ([route, init]) => {
    const response = await runner.api(route, init);
    return { route: route.replace(id, 'ID').replace(token, 'TOKEN'), status: response.status, body: (await response.text()).replaceAll(id, 'ID') };
  }));
}

describe('pastiche serve: every job belongs to its owner', () => {
  test("another user's job answers exactly as a job that does not exist, on every route, and is left untouched", async () => {
    const submitted = await runner.submit({ options: { ...SHALLOW, evaluations: 20 } }, as('ana'));
    assert.equal(submitted.status, 202);
    const { id } = await json(submitted);
    const asBen = await missingAnswers(id, tokens.ben);
    const nobodys = await missingAnswers('00000000-0000-4000-8000-000000000000', tokens.ben);
    assert.deepEqual(asBen, nobodys);
    for (const answer of asBen) assert.equal(answer.status, 404, answer.route);
    // Ben's DELETE did nothing: ana's job runs to its end, and she reads it all.
    const { events } = await readJobEvents({ ...runner, api: (route: string, init?: RequestInit) => runner.api(route, { ...init, ...as('ana') }) } as TestRunner, id);
    assert.equal(events.at(-1)!.event, 'done');
    assert.equal((await json(await runner.api(`/v1/jobs/${id}`, as('ana')))).status, 'succeeded');
    assert.equal((await runner.api(`/v1/jobs/${id}/result?token=${tokens.ana}`, { token: null })).status, 200);
    assert.deepEqual(await missingAnswers(id, tokens.ben), nobodys, 'a finished job too');
  });

  test('an operator (the pairing token or an --operator token) sees, streams, downloads and cancels any job', async () => {
    const done = await json(await runner.submit({}, as('ana')));
    await untilStatus(done.id, 'succeeded', tokens.ana);
    for (const token of [runner.token, tokens.ops]) {
      assert.equal((await json(await runner.api(`/v1/jobs/${done.id}`, { token }))).status, 'succeeded');
      assert.equal((await runner.api(`/v1/jobs/${done.id}/result`, { token })).status, 200);
      const stream = await runner.api(`/v1/jobs/${done.id}/events?token=${token}`, { token: null });
      assert.equal(stream.status, 200);
      assert.match(await stream.text(), /event: done/);
    }
    const running = await json(await runner.submit({ options: LONG }, as('ben')));
    await untilStatus(running.id, 'running', tokens.ben);
    const cancelled = await json(await runner.api(`/v1/jobs/${running.id}`, { ...as('ops'), method: 'DELETE' }));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await json(await runner.api(`/v1/jobs/${running.id}`, as('ben')))).status, 'cancelled', 'ben sees his job cancelled');
  });

  test("a user sees their own place in line; jobs a user did not submit stay hidden from them while they wait", async () => {
    const blocker = await json(await runner.submit({ options: LONG }, as('ben')));
    await untilStatus(blocker.id, 'running', tokens.ben);
    const bens = await json(await runner.submit({}, as('ben')));
    const anas = await json(await runner.submit({}, as('ana')));
    assert.equal(anas.queuePosition, 2, 'ana is second in line, behind ben');
    assert.equal((await json(await runner.api(`/v1/jobs/${anas.id}`, as('ana')))).queuePosition, 2);
    assert.equal((await runner.api(`/v1/jobs/${bens.id}`, as('ana'))).status, 404);
    const { queue } = await health(runner);
    assert.deepEqual([queue.queued, queue.running], [2, 1], 'health counts everyone’s jobs, and names none');
    for (const { id } of [bens, blocker]) await runner.api(`/v1/jobs/${id}`, { method: 'DELETE' });
    assert.equal((await untilStatus(anas.id, 'succeeded', tokens.ana)).queuePosition, null);
  });

  test('a job belongs to the token that sent it: a header that claims an owner is refused', async () => {
    const { content, style } = await fixtures();
    const body = encodeJobEnvelope({ content, styles: [{ image: style }], options: SHALLOW });
    const length = new DataView(body.buffer).getUint32(0, true);
    const header = new TextEncoder().encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(body.subarray(4, 4 + length))), owner: 'ana' }));
    const claimed = new Uint8Array(4 + header.byteLength + body.byteLength - 4 - length);
    new DataView(claimed.buffer).setUint32(0, header.byteLength, true);
    claimed.set(header, 4);
    claimed.set(body.subarray(4 + length), 4 + header.byteLength);
    const response = await runner.api('/v1/jobs', { ...as('ben'), method: 'POST', body: claimed, headers: { 'content-type': JOB_CONTENT_TYPE } });
    assert.equal(response.status, 400);
    assert.match((await json(response)).error, /owner/);
  });
});

describe('pastiche serve: per-user quotas', () => {
  test(`a user may have ${USER_QUEUE_CAP} jobs waiting; one more is a 429 naming --user-queue-cap; others and operators still get in`, async () => {
    const blocker = await json(await runner.submit({ options: LONG }, as('ana')));
    await untilStatus(blocker.id, 'running', tokens.ana);
    const waiting = [];
    for (let i = 0; i < USER_QUEUE_CAP; i++) waiting.push(await runner.submit({}, as('ben')));
    assert.deepEqual(waiting.map((r) => r.status), Array(USER_QUEUE_CAP).fill(202));
    const refused = await runner.submit({}, as('ben'));
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '5');
    const body = await json(refused);
    assert.match(body.error, new RegExp(`ben has ${USER_QUEUE_CAP} job\\(s\\) waiting, the most one user may \\(limit --user-queue-cap ${USER_QUEUE_CAP}\\)`));
    assert.deepEqual(body.limit, { name: 'userQueueCap', flag: '--user-queue-cap', value: USER_QUEUE_CAP });
    const others = [await runner.submit({}, as('ana')), await runner.submit({}, as('ops')), await runner.submit({}, as('ops')), await runner.submit({})];
    assert.deepEqual(others.map((r) => r.status), [202, 202, 202, 202]);
    for (const response of [...waiting, ...others]) await runner.api(`/v1/jobs/${(await json(response)).id}`, { method: 'DELETE' });
    await runner.api(`/v1/jobs/${blocker.id}`, { method: 'DELETE' });
  });

  test(`a user may ask for at most ${USER_MAX_SIDE} px (--user-max-side); an operator for --max-side`, async () => {
    const refused = await runner.submit({ options: { ...SHALLOW, size: USER_MAX_SIDE + 1 } }, as('ana'));
    assert.equal(refused.status, 422);
    const body = await json(refused);
    assert.equal(body.error, `options.size: a ${USER_MAX_SIDE + 1} px result is larger than the most a user may ask for, ${USER_MAX_SIDE} px (limit --user-max-side ${USER_MAX_SIDE})`);
    assert.equal(body.field, 'options.size');
    const styles = await runner.submit({ options: { ...SHALLOW, size: USER_MAX_SIDE, styleScale: 2 } }, as('ana'));
    assert.equal(styles.status, 422);
    assert.match((await json(styles)).error, /--user-max-side/);
    for (const token of [tokens.ops, runner.token]) {
      const allowed = await runner.submit({ options: { ...SHALLOW, size: USER_MAX_SIDE + 1 } }, { token });
      assert.equal(allowed.status, 202);
      await untilStatus((await json(allowed)).id, 'succeeded', token);
    }
    assert.deepEqual([(await health(runner)).limits.userQueueCap, (await health(runner)).limits.userMaxSide], [USER_QUEUE_CAP, USER_MAX_SIDE]);
  });
});

describe('pastiche serve: user tokens', () => {
  test('token list prints names and roles, never a token nor its hash', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pastiche-token-cli-'));
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../src/cli/main.ts'), 'token', ...args], {
        env: { ...process.env, PASTICHE_CONFIG_DIR: dir },
        encoding: 'utf8',
      });
    const ana = cli('add', 'ana');
    const ops = cli('add', 'ops', '--operator');
    assert.deepEqual([ana.status, ops.status], [0, 0], ana.stderr + ops.stderr);
    const issued = [ana.stdout.trim(), ops.stdout.trim()];
    for (const token of issued) assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const list = cli('list');
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^ana\tuser\t\S+\nops\toperator\t\S+\n$/);
    const stored = await readFile(path.join(dir, USER_TOKENS_FILE_NAME), 'utf8');
    for (const token of issued) {
      const hash = createHash('sha256').update(token).digest('hex');
      assert.ok(!list.stdout.includes(token) && !list.stdout.includes(hash) && !list.stderr.includes(token));
      assert.ok(!stored.includes(token), 'the file keeps no token');
      assert.ok(stored.includes(hash), 'only its SHA-256');
    }
    assert.equal(cli('list', '--operator').status, 2);
  });

  test('a user tokens file damaged while the runner runs: user tokens get a 503 naming no server path, the pairing token still works', async () => {
    const file = path.join(configDir, USER_TOKENS_FILE_NAME);
    const good = await readFile(file, 'utf8');
    await writeFile(file, '{"users": [');
    try {
      const response = await runner.api('/v1/pairing', as('ana'));
      assert.equal(response.status, 503);
      const { error } = await json(response);
      assert.match(error, /user tokens file is damaged/);
      assert.ok(!error.includes(configDir) && !error.includes(USER_TOKENS_FILE_NAME), error);
      assert.ok(lines.some((line) => line.includes(file) && /not valid JSON/.test(line)), 'the detail is in the server log');
      assert.equal((await runner.api('/v1/pairing')).status, 204);
      assert.equal((await runner.api('/v1/health', as('ana'))).status, 200, 'health needs no token');
    } finally {
      await writeFile(file, good);
    }
    assert.equal((await runner.api('/v1/pairing', as('ana'))).status, 204, 'fixed: back at once');
  });

  test('pastiche serve does not start on a damaged user tokens file, and names the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pastiche-owners-bad-'));
    await writeFile(path.join(dir, USER_TOKENS_FILE_NAME), '{"users": [{"name": "ana"}]}');
    await assert.rejects(
      createRunner({ port: 0, backend: 'wasm', weights: weightsPath, configDir: dir }),
      (error: Error) => error.message.includes(path.join(dir, USER_TOKENS_FILE_NAME)) && /is not a user tokens file/.test(error.message),
    );
  });
});
