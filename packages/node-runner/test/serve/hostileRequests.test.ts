import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { json, readJobEvents, SHALLOW, startTestRunner, type TestRunner } from './helpers/runner.ts';

const BODY_TIMEOUT_S = 0.5;
let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({ bodyTimeoutSeconds: BODY_TIMEOUT_S });
});
after(() => runner?.close());

/**
 * Sends `method /v1/jobs` announcing a `mb` MB job body and writes it as fast as the server takes it (one 1 MB
 * chunk reused, so this client holds no copy). Resolves with the status and how much was written when the
 * answer came.
 */
function hugeRequest(method: string, mb: number, headers: Record<string, string>): Promise<{ status: number; writtenMb: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(1024 * 1024, 7);
    let written = 0;
    const req = httpRequest({ host: '127.0.0.1', port: runner.port, method, path: '/v1/jobs', headers: { 'content-type': JOB_CONTENT_TYPE, 'content-length': String(mb * chunk.length), ...headers } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, writtenMb: written });
      req.destroy();
    });
    req.on('error', (error) => (written >= 1 ? undefined : reject(error)));
    const pump = () => {
      while (written < mb && !req.destroyed) {
        written++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (written >= mb) req.end();
    };
    pump();
  });
}

/** One small job, submission to done: its wall time, for the diagnostics. */
async function timeJob(): Promise<number> {
  const started = performance.now();
  const { id } = await json(await runner.submit({ options: { ...SHALLOW, size: 48, evaluations: 15 } }));
  assert.equal((await readJobEvents(runner, id)).events.at(-1)!.event, 'done');
  return performance.now() - started;
}

describe('pastiche serve: requests without a token cost nothing', () => {
  // The body is never read, so it costs the running job nothing: checked by the bytes the client got to write and
  // by RSS, not by the job's time (the times beside and alone are printed as diagnostics).
  test('a token-less OPTIONS or POST with a 50 MB job body is answered unread: RSS stays flat, a job beside it finishes', async (t) => {
    await timeJob(); // warm-up
    const alone = await timeJob();
    for (const [method, headers] of [['OPTIONS', { origin: 'null', 'access-control-request-method': 'POST' }], ['POST', { origin: 'null' }]] as const) {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const [hostile, withHostile] = await Promise.all([hugeRequest(method, 50, headers), timeJob()]);
      clearInterval(sampler);
      assert.equal(hostile.status, method === 'OPTIONS' ? 415 : 401, method);
      assert.ok(hostile.writtenMb < 50, `${method}: answered before its body was read (${hostile.writtenMb} MB written)`);
      const grewMb = (peak - rssBefore) / 2 ** 20;
      assert.ok(grewMb < 8, `${method}: RSS grew ${grewMb.toFixed(1)} MB`);
      t.diagnostic(`${method}: the job took ${withHostile.toFixed(0)} ms beside it, ${alone.toFixed(0)} ms alone`);
    }
  });

  test('a preflight without a body still gets its 204', async () => {
    const response = await runner.api('/v1/jobs', { method: 'OPTIONS', token: null, headers: { origin: 'null', 'access-control-request-method': 'POST' } });
    assert.equal(response.status, 204);
  });
});

describe('pastiche serve: --body-timeout-seconds', () => {
  /** Opens a raw connection, sends `head` (part of a request), then stalls; resolves with how long until the server closed it, and what it said. */
  function stall(head: string): Promise<{ seconds: number; reply: string }> {
    return new Promise((resolve, reject) => {
      const socket = connect(runner.port, '127.0.0.1');
      let started = 0;
      let reply = '';
      socket.on('connect', () => {
        started = performance.now();
        socket.write(head);
      });
      socket.on('data', (data) => (reply += data.toString('utf8')));
      socket.on('error', () => {});
      socket.on('close', () => resolve({ seconds: (performance.now() - started) / 1000, reply }));
      setTimeout(() => reject(new Error('the stalled connection is still open after 10 s')), 10_000).unref();
    });
  }

  // Not before the configured time (a bound load cannot break); that it is cut at all, the stall's own 10 s guard checks.
  test('a stalled job body or stalled headers are answered 408 in the error shape, then cut, not before the configured time', async () => {
    const host = `Host: 127.0.0.1:${runner.port}`;
    const body = stall(`POST /v1/jobs HTTP/1.1\r\n${host}\r\nAuthorization: Bearer ${runner.token}\r\nContent-Type: ${JOB_CONTENT_TYPE}\r\nContent-Length: 100000\r\n\r\n0123456789`);
    const headers = stall(`GET /v1/health HTTP/1.1\r\n${host}\r\nX-Slow: 1`);
    for (const { seconds, reply } of await Promise.all([body, headers])) {
      assert.ok(seconds >= BODY_TIMEOUT_S * 0.8, `cut after ${seconds.toFixed(2)} s (timeout ${BODY_TIMEOUT_S} s)`);
      assert.match(reply, /^HTTP\/1\.1 408 /);
      assert.match(reply, /\r\nconnection: close\r\n/i);
      const error = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));
      assert.equal(error.statusCode, 408);
      assert.match(error.error, new RegExp(`nothing came for ${BODY_TIMEOUT_S} s \\(limit --body-timeout-seconds ${BODY_TIMEOUT_S}\\)`));
    }
  });

  test('an idle keep-alive connection is closed without a word', async () => {
    const host = `Host: 127.0.0.1:${runner.port}`;
    const { reply } = await stall(`GET /v1/health HTTP/1.1\r\n${host}\r\n\r\n`);
    assert.equal(reply.match(/^HTTP\/1\.1 /gm)?.length, 1, `one reply, the health's: ${reply.slice(0, 200)}`);
    assert.match(reply, /^HTTP\/1\.1 200 /);
  });

  // At once: with its refusal and `connection: close`, never waiting for the body (that would end in a 408).
  test('a refused request with a stalled body is answered and its connection closed at once', async (t) => {
    const host = `Host: 127.0.0.1:${runner.port}`;
    const refused = [
      stall(`OPTIONS /v1/jobs HTTP/1.1\r\n${host}\r\nOrigin: null\r\nContent-Type: ${JOB_CONTENT_TYPE}\r\nContent-Length: 100000\r\n\r\n0123456789`),
      stall(`POST /v1/jobs HTTP/1.1\r\n${host}\r\nContent-Type: ${JOB_CONTENT_TYPE}\r\nContent-Length: 100000\r\n\r\n0123456789`),
    ];
    for (const [i, { seconds, reply }] of (await Promise.all(refused)).entries()) {
      assert.equal(reply.match(/^HTTP\/1\.1 /gm)?.length, 1, `one reply: ${reply.slice(0, 200)}`);
      assert.match(reply, i === 0 ? /^HTTP\/1\.1 415 / : /^HTTP\/1\.1 401 /);
      assert.match(reply, /\r\nconnection: close\r\n/i);
      t.diagnostic(`closed after ${seconds.toFixed(2)} s`);
    }
  });

  test('keep-alive connections are promised no longer than the idle timeout that closes them', async () => {
    const response = await runner.api('/v1/health');
    const promised = Number(/timeout=(\d+)/.exec(response.headers.get('keep-alive') ?? '')?.[1]);
    assert.ok(promised <= BODY_TIMEOUT_S, `Keep-Alive: ${response.headers.get('keep-alive')} with a ${BODY_TIMEOUT_S} s idle timeout`);
  });

  test('an event stream stays open while its job waits longer than the body timeout', async () => {
    const blocker = await json(await runner.submit({ options: { ...SHALLOW, size: 64, evaluations: 1000 } }));
    const waiting = await json(await runner.submit());
    const stream = readJobEvents(runner, waiting.id); // quiet: heartbeats every 15 s, the queued event once
    await new Promise((r) => setTimeout(r, BODY_TIMEOUT_S * 3000));
    await runner.api(`/v1/jobs/${blocker.id}`, { method: 'DELETE' });
    assert.equal((await stream).events.at(-1)!.event, 'done');
  });
});
