import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { fixtures, json, readJobEvents, SHALLOW, startTestRunner, type TestRunner } from './helpers/runner.ts';

const BUDGET_MB = 1;
const BODY_TIMEOUT_S = 1;
let runner: TestRunner;
let spoolParent: string;
let stateDir: string;
before(async () => {
  spoolParent = await mkdtemp(path.join(tmpdir(), 'pastiche-spool-test-'));
  stateDir = await mkdtemp(path.join(tmpdir(), 'pastiche-spool-state-'));
  runner = await startTestRunner({ spoolDir: spoolParent, stateDir, uploadBudgetMb: BUDGET_MB, bodyTimeoutSeconds: BODY_TIMEOUT_S });
});
after(() => runner?.close());

/** The uploads in the spool: one folder each, with the names of its files. */
async function spooled(): Promise<string[][]> {
  const [spool] = await readdir(spoolParent);
  const folders = await readdir(path.join(spoolParent, spool));
  return Promise.all(folders.map(async (folder) => (await readdir(path.join(spoolParent, spool, folder))).sort()));
}

/** The images of the jobs in the state directory (or of the jobs `ids`), a list of file names per job. */
async function jobImages(ids?: string[]): Promise<string[][]> {
  const jobs = ids ?? (await readdir(path.join(stateDir, 'jobs')));
  return Promise.all(jobs.map(async (id) => (await readdir(path.join(stateDir, 'jobs', id))).filter((name) => name.endsWith('.img')).sort()));
}

/** Waits (bounded) until the spool holds `count` uploads; fails naming what it holds. */
async function untilSpooled(count: number) {
  for (let i = 0; i < 200; i++) {
    if ((await spooled()).length === count) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`the spool holds ${JSON.stringify(await spooled())}, expected ${count} upload(s)`);
}

/** A job body whose content is `contentBytes` bytes of garbage: refused (400) once it has arrived and been read. */
async function garbageBody(contentBytes: number) {
  return encodeJobEnvelope({ content: new Uint8Array(contentBytes).fill(7), styles: [{ image: (await fixtures()).style }], options: SHALLOW });
}

/** Starts a POST /v1/jobs that announces `body` whole but sends only its first `sent` bytes, and waits. */
function partialUpload(body: Uint8Array, sent: number): { request: ClientRequest; response: Promise<{ status: number; headers: Record<string, unknown>; text: string }> } {
  const request = httpRequest(`${runner.url}/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${runner.token}`, 'content-type': JOB_CONTENT_TYPE, 'content-length': body.byteLength },
  });
  const response = new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    request.on('error', reject);
  });
  response.catch(() => {});
  request.write(body.subarray(0, sent));
  return { request, response };
}

describe('pastiche serve: uploads go to disk and their bytes in flight are bounded', () => {
  test("a queued job's images move from the spool to its folder of the state directory, a file each, and are deleted when it ends", async () => {
    const blocker = await json(await runner.submit({ options: { ...SHALLOW, size: 64, evaluations: 1000 } }));
    const waiting = await json(await runner.submit());
    await untilSpooled(0);
    assert.deepEqual(await jobImages(), [
      ['content.img', 'style-0.img'],
      ['content.img', 'style-0.img'],
    ]);
    await runner.api(`/v1/jobs/${blocker.id}`, { method: 'DELETE' });
    assert.equal((await readJobEvents(runner, waiting.id)).events.at(-1)!.event, 'done');
    assert.deepEqual((await jobImages()).flat(), []);
  });

  test('a refused upload leaves nothing behind: a corrupt image, a broken envelope', async () => {
    const corrupt = await runner.api('/v1/jobs', { method: 'POST', body: await garbageBody(300_000), headers: { 'content-type': JOB_CONTENT_TYPE } });
    assert.equal(corrupt.status, 400);
    assert.equal((await json(corrupt)).field, 'content');
    const broken = (await garbageBody(1000)).slice(0, -10);
    const short = await runner.api('/v1/jobs', { method: 'POST', body: broken, headers: { 'content-type': JOB_CONTENT_TYPE } });
    assert.equal(short.status, 400);
    assert.match((await json(short)).error, /announces \d+ image bytes .* but \d+ follow/);
    await untilSpooled(0);
  });

  test('503 with Retry-After, before its body is read, for an upload the budget cannot hold; the budget comes back when an upload is aborted', async () => {
    const big = await garbageBody(800_000);
    const first = partialUpload(big, 100_000);
    await untilSpooled(1);
    const second = await runner.api('/v1/jobs', { method: 'POST', body: await garbageBody(400_000), headers: { 'content-type': JOB_CONTENT_TYPE } });
    const refusal = await json(second);
    assert.equal(second.status, 503, JSON.stringify(refusal));
    assert.equal(second.headers.get('retry-after'), '5');
    assert.equal(refusal.field, 'body');
    assert.deepEqual(refusal.limit, { name: 'uploadBudgetMb', flag: '--upload-budget-mb', value: BUDGET_MB });
    assert.equal((await spooled()).length, 1, 'the refused body was not spooled');

    first.request.destroy();
    await untilSpooled(0);
    const again = await runner.api('/v1/jobs', { method: 'POST', body: await garbageBody(400_000), headers: { 'content-type': JOB_CONTENT_TYPE } });
    assert.equal(again.status, 400, 'the aborted upload gave its budget back');
  });

  test('a body of unknown length (chunked) holds the budget as it arrives: past it, a 503 and nothing left behind', async () => {
    const body = await garbageBody(1_500_000);
    const request = httpRequest(`${runner.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runner.token}`, 'content-type': JOB_CONTENT_TYPE, 'transfer-encoding': 'chunked' },
    });
    request.on('error', () => {}); // the runner closes the connection once it has answered
    const response = new Promise<{ status: number; retryAfter: unknown; text: string }>((resolve) =>
      request.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], text }));
      }),
    );
    for (let at = 0; at < body.byteLength; at += 64 * 1024) request.write(body.subarray(at, at + 64 * 1024));
    request.end();
    const { status, retryAfter, text } = await response;
    assert.equal(status, 503, text);
    assert.equal(retryAfter, '5');
    assert.match(JSON.parse(text).error, /would pass its budget \(limit --upload-budget-mb 1\)/);
    await untilSpooled(0);
  });

  test('a stalled body is answered 408 in the error shape, and its part on disk deleted', async () => {
    const stalled = partialUpload(await garbageBody(200_000), 50_000);
    await untilSpooled(1);
    const { status, headers, text } = await stalled.response;
    assert.equal(status, 408);
    assert.equal(headers.connection, 'close');
    const error = JSON.parse(text);
    assert.equal(error.statusCode, 408);
    assert.equal(error.field, 'body');
    assert.match(error.error, new RegExp(`nothing came for ${BODY_TIMEOUT_S} s \\(limit --body-timeout-seconds ${BODY_TIMEOUT_S}\\)`));
    await untilSpooled(0);
  });

  test("a mask's emptiness is judged by its weight at full size: one white pixel of 2048 px paints, an all-black mask is refused", async () => {
    const { style } = await fixtures();
    const raw = Buffer.alloc(2048 * 2048);
    raw[1000 * 2048 + 1500] = 255;
    const onePixel = new Uint8Array(await sharp(raw, { raw: { width: 2048, height: 2048, channels: 1 } }).png().toBuffer());
    const black = new Uint8Array(await sharp(Buffer.alloc(2048 * 2048), { raw: { width: 2048, height: 2048, channels: 1 } }).png().toBuffer());
    const accepted = await runner.submit({ styles: [{ image: style, mask: onePixel }, { image: style }] });
    const job = await json(accepted);
    assert.equal(accepted.status, 202, JSON.stringify(job));
    const { events } = await readJobEvents(runner, job.id);
    assert.equal(events.at(-1)!.event, 'done', JSON.stringify(events.at(-1)));
    const refused = await runner.submit({ styles: [{ image: style, mask: black }, { image: style }] });
    const error = await json(refused);
    assert.equal(refused.status, 400);
    assert.equal(error.field, 'styles[0].mask');
    assert.match(error.error, /the mask is empty/);
    await untilSpooled(0);
  });

  test('shutdown deletes the spool; the images of the jobs still waiting stay in the state directory for the next start', async () => {
    const ids = [(await json(await runner.submit({ options: { ...SHALLOW, size: 64, evaluations: 1000 } }))).id, (await json(await runner.submit())).id];
    await runner.close();
    assert.deepEqual(await readdir(spoolParent), []);
    assert.deepEqual(await jobImages(ids), [
      ['content.img', 'style-0.img'],
      ['content.img', 'style-0.img'],
    ]);
  });
});
