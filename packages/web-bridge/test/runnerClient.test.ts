import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:net';
import {
  createRunnerClient,
  createRunnerEngine,
  probeRunner,
  RunnerBusyError,
  RunnerJobError,
  RunnerNotPairedError,
  RunnerRequestError,
  RunnerServerError,
  RunnerUnreachableError,
  type BridgeJob,
  type BridgeProgress,
  type RunnerEvent,
} from '../src/index.ts';
import { happyEvents, JOB_ID, RESULT_PNG, sendError, sendEvents, sendJson, startFakeRunner, TOKEN } from './helpers/fakeRunner.ts';
import { health } from './helpers/health.ts';

const JOB: BridgeJob = {
  content: { bytes: new Uint8Array([1, 2, 3, 4, 5]), mime: 'image/png' },
  styles: [
    { image: { bytes: new Uint8Array([6, 7]) }, weight: 0.7 },
    { image: { bytes: new Uint8Array([8, 9, 10]) }, weight: 0.3 },
  ],
  options: { size: 64, evaluations: 2 },
  preview: { every: 1 },
};

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('runner client against a fake runner', () => {
  let fake: Awaited<ReturnType<typeof startFakeRunner>>;
  before(async () => {
    fake = await startFakeRunner({
      routes: {
        'POST /v1/jobs': (req, res) => {
          const options = JSON.parse(req.body.subarray(4, 4 + req.body.readUInt32LE(0)).toString()).options as { size: number };
          // The size picks the refusal, so one fake answers every status the client must type.
          if (options.size === 429) return sendError(res, 429, 'the queue is full', undefined, { limit: { name: 'queueCap', flag: '--queue-cap', value: 8 } }, { 'retry-after': '5' });
          if (options.size === 422) return sendError(res, 422, 'options.size: too big (limit --max-side 64)', 'options.size', { limit: { name: 'maxSide', flag: '--max-side', value: 64 } });
          if (options.size === 503) return sendError(res, 503, 'the runner is shutting down and accepts no new jobs');
          if (options.size === 500) return res.writeHead(500).end('<html>oops</html>');
          sendJson(res, 202, { id: JOB_ID, status: 'queued', queuePosition: 1, seed: 7, links: {} });
        },
      },
    });
  });
  after(() => fake.close());
  const client = (token: string | null = TOKEN) => createRunnerClient({ baseUrl: fake.url, token: token ?? undefined });

  it('reads health without a token and remembers it', async () => {
    const c = client(null);
    assert.equal(c.lastHealth, undefined);
    const h = await c.health();
    assert.equal(h.backend, 'onnx-cuda');
    assert.equal(c.lastHealth, h);
    assert.equal(fake.received.at(-1)!.headers.authorization, undefined);
  });

  it('types every refusal: 401 not paired, 429 busy, 4xx with its field, 5xx', async () => {
    const submit = (size: number, token = TOKEN) => client(token).submit({ ...JOB, options: { size } });
    await assert.rejects(submit(64, 'wrong'), (e) => e instanceof RunnerNotPairedError && e.status === 401 && /wrong pairing token/.test(e.message));
    await assert.rejects(submit(429), (e) => e instanceof RunnerBusyError && e.retryAfterMs === 5000 && /queue is full/.test(e.message));
    await assert.rejects(submit(422), (e) => e instanceof RunnerRequestError && e.status === 422 && e.field === 'options.size' && e.limit?.flag === '--max-side');
    await assert.rejects(submit(503), (e) => e instanceof RunnerServerError && e.status === 503 && /shutting down/.test(e.message));
    await assert.rejects(submit(500), (e) => e instanceof RunnerServerError && /oops/.test(e.message));
    await assert.rejects(client().status('no-such-job'), (e) => e instanceof RunnerRequestError && e.status === 404 && e.field === 'id');
  });

  it('says the runner is not running when nothing listens', async () => {
    const c = createRunnerClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, token: TOKEN });
    await assert.rejects(c.health(), (e) => e instanceof RunnerUnreachableError && /pastiche serve/.test(e.message));
    await assert.rejects(c.submit(JOB), RunnerUnreachableError);
    assert.deepEqual((await probeRunner(c)).state, 'not-running');
  });

  it('refuses a server that is not a Pastiche runner', async () => {
    const other = await startFakeRunner({ routes: { 'GET /v1/health': (_, res) => sendJson(res, 200, { hello: 'world' }) } });
    try {
      await assert.rejects(createRunnerClient({ baseUrl: other.url }).health(), (e) => e instanceof RunnerUnreachableError && /something other than a Pastiche runner/.test(e.message));
    } finally {
      await other.close();
    }
  });

  it('pairs only with a token the runner accepts, trimmed as pasted', async () => {
    const c = client(null);
    assert.equal(await c.checkToken(), false);
    await assert.rejects(c.pair('not-the-token'), RunnerNotPairedError);
    assert.equal(c.token, undefined);
    await c.pair(`  ${TOKEN}\n`);
    assert.equal(c.token, TOKEN);
    assert.deepEqual(c.authHeaders(), { Authorization: `Bearer ${TOKEN}` });
    c.unpair();
    assert.deepEqual(c.authHeaders(), {});
  });

  it('submits the runner\'s envelope: header length, JSON header, then the image bytes in order', async () => {
    const accepted = await client().submit(JOB);
    assert.equal(accepted.id, JOB_ID);
    const request = fake.received.at(-1)!;
    assert.equal(request.headers['content-type'], 'application/vnd.pastiche.job');
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    const headerLength = request.body.readUInt32LE(0);
    assert.deepEqual(JSON.parse(request.body.subarray(4, 4 + headerLength).toString()), {
      options: { size: 64, evaluations: 2 },
      content: { bytes: 5 },
      styles: [{ weight: 0.7, bytes: 2 }, { weight: 0.3, bytes: 3 }],
      preview: { every: 1 },
    });
    assert.deepEqual([...request.body.subarray(4 + headerLength)], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('streams events sent in 3-byte pieces, with the token in a header', async () => {
    const events: RunnerEvent[] = [];
    for await (const event of client().events(JOB_ID)) events.push(event);
    assert.deepEqual(events.map((e) => e.type), ['queued', 'started', 'progress', 'preview', 'progress', 'done']);
    assert.deepEqual(events, happyEvents().map(([type, data]) => ({ type, data })));
    const request = fake.received.at(-1)!;
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(request.headers.accept, 'text/event-stream');
  });

  it('fetches the result bytes and cancels with DELETE', async () => {
    assert.deepEqual(await client().result(JOB_ID), RESULT_PNG);
    assert.equal((await client().cancel(JOB_ID)).status, 'cancelled');
    assert.equal(fake.received.at(-1)!.method, 'DELETE');
  });

  it('probes the runner: not paired, ready, busy', async () => {
    assert.equal((await probeRunner(client(null))).state, 'not-paired');
    assert.equal((await probeRunner(client('wrong'))).state, 'not-paired');
    assert.equal((await probeRunner(client())).state, 'ready');
    const busy = await startFakeRunner({ health: health({ queue: { running: 1 } }) });
    try {
      assert.equal((await probeRunner(createRunnerClient({ baseUrl: busy.url, token: TOKEN }))).state, 'busy');
    } finally {
      await busy.close();
    }
  });
});

describe('runner engine against a fake runner', () => {
  it('paints: progress, the preview as PNG bytes, then the result and its stats', async () => {
    const fake = await startFakeRunner();
    try {
      const engine = createRunnerEngine(createRunnerClient({ baseUrl: fake.url, token: TOKEN }));
      const progress: BridgeProgress[] = [];
      const result = await engine.stylize(JOB, { onProgress: (p) => progress.push(p) });
      assert.deepEqual(result, { png: RESULT_PNG, width: 4, height: 3, stats: { evaluations: 2, elapsedMs: 200, backend: 'wasm', engine: 'runner', seed: 7 } });
      assert.deepEqual(progress.map((p) => [p.evaluation, !!p.preview]), [[1, false], [1, true], [2, false]]);
      assert.deepEqual(progress[1].preview, { bytes: RESULT_PNG, mime: 'image/png' });
      assert.match(engine.describe(), /^on the runner at 127\.0\.0\.1:\d+$/);
    } finally {
      await fake.close();
    }
  });

  it('turns a failed job into a RunnerJobError with its code and field', async () => {
    const fake = await startFakeRunner({
      routes: { 'GET /v1/jobs/:id/events': (_, res) => sendEvents(res, [['failed', { error: { code: 'input', message: 'styles[0]: not an image', field: 'styles[0]' } }]]) },
    });
    try {
      const engine = createRunnerEngine(createRunnerClient({ baseUrl: fake.url, token: TOKEN }));
      await assert.rejects(engine.stylize(JOB), (e) => e instanceof RunnerJobError && e.code === 'input' && e.field === 'styles[0]' && /not an image/.test(e.message));
    } finally {
      await fake.close();
    }
  });

  it('reconnects when the event stream drops mid-job', async () => {
    let connections = 0;
    const events = happyEvents();
    const fake = await startFakeRunner({
      routes: { 'GET /v1/jobs/:id/events': (_, res) => sendEvents(res, connections++ === 0 ? events.slice(0, 3) : events.slice(4)) },
    });
    try {
      const engine = createRunnerEngine(createRunnerClient({ baseUrl: fake.url, token: TOKEN }));
      const result = await engine.stylize(JOB);
      assert.equal(connections, 2);
      assert.equal(result.width, 4);
    } finally {
      await fake.close();
    }
  });

  it('keeps reconnecting while the runner is away (restarting), then follows the job to its end', async () => {
    let connections = 0;
    const events = happyEvents();
    const fake = await startFakeRunner({
      routes: {
        'GET /v1/jobs/:id/events': (_, res) => {
          const n = connections++;
          if (n === 0) return sendEvents(res, events.slice(0, 3));
          if (n <= 4) return void res.socket?.destroy(); // four refused tries: more than a passing drop
          return sendEvents(res, events.slice(1));
        },
      },
    });
    try {
      const engine = createRunnerEngine(createRunnerClient({ baseUrl: fake.url, token: TOKEN }));
      const result = await engine.stylize(JOB);
      assert.equal(connections, 6);
      assert.equal(result.width, 4);
      assert.ok(!fake.received.some((r) => r.method === 'DELETE'), 'the job was not cancelled');
    } finally {
      await fake.close();
    }
  });

  it('rejects with AbortError at once when cancelled mid-run, and cancels the job on the runner', async () => {
    const fake = await startFakeRunner({ routes: { 'GET /v1/jobs/:id/events': (_, res) => sendEvents(res, happyEvents().slice(0, 3), { end: false }) } });
    try {
      const engine = createRunnerEngine(createRunnerClient({ baseUrl: fake.url, token: TOKEN }));
      const controller = new AbortController();
      const painting = engine.stylize(JOB, { signal: controller.signal, onProgress: () => controller.abort() });
      await assert.rejects(painting, (e) => (e as Error).name === 'AbortError');
      await waitFor(() => fake.received.some((r) => r.method === 'DELETE' && r.path === `/v1/jobs/${JOB_ID}`));
    } finally {
      await fake.close();
    }
  });

  it('cancels the job on the runner when the host\'s onProgress throws', async () => {
    const fake = await startFakeRunner({ routes: { 'GET /v1/jobs/:id/events': (_, res) => sendEvents(res, happyEvents().slice(0, 3), { end: false }) } });
    try {
      const engine = createRunnerEngine(createRunnerClient({ baseUrl: fake.url, token: TOKEN }));
      const failing = engine.stylize(JOB, {
        onProgress: () => {
          throw new Error('the UI broke');
        },
      });
      await assert.rejects(failing, /the UI broke/);
      await waitFor(() => fake.received.some((r) => r.method === 'DELETE'));
    } finally {
      await fake.close();
    }
  });

  it('cancels running jobs on dispose', async () => {
    const fake = await startFakeRunner({ routes: { 'GET /v1/jobs/:id/events': (_, res) => sendEvents(res, happyEvents().slice(0, 2), { end: false }) } });
    try {
      const engine = createRunnerEngine(createRunnerClient({ baseUrl: fake.url, token: TOKEN }));
      const painting = engine.stylize(JOB);
      await waitFor(() => fake.received.some((r) => r.path.endsWith('/events')));
      engine.dispose();
      await assert.rejects(painting, (e) => (e as Error).name === 'AbortError');
      await waitFor(() => fake.received.some((r) => r.method === 'DELETE'));
    } finally {
      await fake.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
