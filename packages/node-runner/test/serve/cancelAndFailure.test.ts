import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  createPastiche,
  createTfjsEngineFromExtractor,
  createVggFeatureExtractor,
  stylize,
  type Pastiche,
  type PasticheConfig,
  type VggFeatureExtractor,
} from '@pastiche/core';
import { json, readJobEvents, SHALLOW, startTestRunner, type ReceivedEvent, type TestRunner } from './helpers/runner.ts';

const FAILING_SEED = 13;
const LONG = { ...SHALLOW, size: 64, evaluations: 1000 };

/**
 * The real engine, except that a job with FAILING_SEED runs out of memory in the forward pass of its
 * third evaluation (two extractions for the targets, then one per evaluation), as a backend would.
 */
function engineFailingOnSeed(config: PasticheConfig): Pastiche {
  const extractors = new Map<string, VggFeatureExtractor>();
  const engine = createPastiche({
    ...config,
    createEngine(model, weights) {
      const extractor = createVggFeatureExtractor(model, weights);
      extractors.set(model, extractor);
      return createTfjsEngineFromExtractor(extractor, { name: 'wasm' });
    },
  });
  return {
    ...engine,
    async stylize(request, callbacks) {
      if (request.options?.seed !== FAILING_SEED) return engine.stylize(request, callbacks);
      const model = request.options.model ?? 'vgg16';
      await engine.loadModel(model);
      const extractor = extractors.get(model)!;
      let calls = 0;
      const failing: VggFeatureExtractor = {
        ...extractor,
        extract(input, layers, pooling) {
          if (++calls === 5) throw new Error('Out of memory: failed to allocate 2147483648 bytes (injected)');
          return extractor.extract(input, layers, pooling);
        },
      };
      return stylize(createTfjsEngineFromExtractor(failing), request, callbacks);
    },
  };
}

let runner: TestRunner;
let baseline: number;
before(async () => {
  runner = await startTestRunner({}, { createEngine: engineFailingOnSeed });
  baseline = tf.memory().numTensors;
});
after(() => runner?.close());

/** Events of a job as they come, with a way to wait for the first one that matches. */
function follow(id: string) {
  const seen: ReceivedEvent[] = [];
  const waiters: Array<{ match(e: ReceivedEvent): boolean; resolve(): void }> = [];
  const finished = readJobEvents(runner, id, {
    onEvent: (e) => {
      seen.push(e);
      for (const w of waiters.filter((w) => w.match(e))) w.resolve();
    },
  });
  const until = (match: (e: ReceivedEvent) => boolean) =>
    seen.some(match) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ match, resolve }));
  return { seen, finished, until };
}

async function idle() {
  for (let i = 0; i < 100; i++) {
    const { queue } = await json(await runner.api('/v1/health'));
    if (queue.queued === 0 && queue.running === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the runner did not become idle');
}

describe('pastiche serve: cancel', () => {
  test('a running job stops within one evaluation and frees its memory', async () => {
    const { id } = await json(await runner.submit({ options: LONG }));
    const stream = follow(id);
    await stream.until((e) => e.event === 'progress' && e.data.totalEvaluation >= 2);
    const before = stream.seen.filter((e) => e.event === 'progress').length;
    const started = performance.now();
    const cancelled = await runner.api(`/v1/jobs/${id}`, { method: 'DELETE' });
    const waitedMs = performance.now() - started;
    assert.equal(cancelled.status, 200);
    const status = await json(cancelled);
    assert.equal(status.status, 'cancelled');
    assert.equal(status.cancelRequested, true);
    await stream.finished;
    const after = stream.seen.filter((e) => e.event === 'progress').length;
    assert.ok(after - before <= 1, `${after - before} evaluations after the cancel`);
    assert.equal(stream.seen.at(-1)!.event, 'cancelled');
    assert.ok(waitedMs < 5000, `DELETE took ${waitedMs} ms`);
    assert.equal((await runner.api(`/v1/jobs/${id}/result`)).status, 409);
    await idle();
    assert.equal(tf.memory().numTensors, baseline);
  });

  test('a queued job leaves the line; the one behind it moves up and still runs', async () => {
    const blocker = await json(await runner.submit({ options: LONG }));
    const blockerStream = follow(blocker.id);
    await blockerStream.until((e) => e.event === 'progress');
    const a = await json(await runner.submit());
    const b = await json(await runner.submit({ options: { ...SHALLOW, size: 24 } }));
    assert.deepEqual([a.status, a.queuePosition, b.status, b.queuePosition], ['queued', 1, 'queued', 2]);
    const bStream = follow(b.id);
    await bStream.until((e) => e.event === 'queued' && e.data.position === 2);

    const cancelled = await json(await runner.api(`/v1/jobs/${a.id}`, { method: 'DELETE' }));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.startedAt, null);
    await bStream.until((e) => e.event === 'queued' && e.data.position === 1);
    const aLate = await readJobEvents(runner, a.id);
    assert.deepEqual(aLate.events.map((e) => e.event), ['cancelled']);

    await runner.api(`/v1/jobs/${blocker.id}`, { method: 'DELETE' });
    await bStream.finished;
    assert.deepEqual(bStream.seen.map((e) => e.event).filter((t) => t !== 'progress'), ['queued', 'queued', 'started', 'done']);
    assert.equal(bStream.seen.at(-1)!.data.result.width, 24);
    await idle();
    assert.equal(tf.memory().numTensors, baseline);
  });

  test('deleting a finished job forgets it and its result', async () => {
    const { id } = await json(await runner.submit());
    await readJobEvents(runner, id);
    assert.equal((await json(await runner.api(`/v1/jobs/${id}`, { method: 'DELETE' }))).status, 'succeeded');
    assert.equal((await runner.api(`/v1/jobs/${id}/result`)).status, 404);
  });
});

describe('pastiche serve: a failing job fails alone', () => {
  test('an out-of-memory error reaches its stream and status; memory returns to baseline; the next job runs', async () => {
    const failing = await json(await runner.submit({ options: { ...SHALLOW, seed: FAILING_SEED, evaluations: 10 } }));
    const good = await json(await runner.submit());
    const failed = await readJobEvents(runner, failing.id);
    const last = failed.events.at(-1)!;
    assert.equal(last.event, 'failed');
    assert.equal(last.data.error.code, 'out_of_memory');
    assert.match(last.data.error.message, /ran out of memory .*failed to allocate.*try a smaller size/);
    const status = await json(await runner.api(`/v1/jobs/${failing.id}`));
    assert.equal(status.status, 'failed');
    assert.equal(status.error.code, 'out_of_memory');
    assert.equal(status.progress.totalEvaluation, 2);
    const result = await runner.api(`/v1/jobs/${failing.id}/result`);
    assert.equal(result.status, 409);
    assert.match((await json(result)).error, /failed: the backend ran out of memory/);

    const next = await readJobEvents(runner, good.id);
    assert.equal(next.events.at(-1)!.event, 'done');
    assert.equal((await runner.api(`/v1/jobs/${good.id}/result`)).status, 200);
    await idle();
    assert.equal(tf.memory().numTensors, baseline);
  });
});

describe('pastiche serve: --max-job-seconds', () => {
  test('a job past its wall time fails naming the limit, and frees its memory', async () => {
    const limited = await startTestRunner({ maxJobSeconds: 1 });
    try {
      const ownBaseline = tf.memory().numTensors;
      const { id } = await json(await limited.submit({ options: LONG }));
      const { events } = await readJobEvents(limited, id);
      const last = events.at(-1)!;
      assert.equal(last.event, 'failed');
      assert.equal(last.data.error.code, 'time_limit');
      assert.match(last.data.error.message, /longer than 1 s \(limit --max-job-seconds 1\)/);
      assert.equal(tf.memory().numTensors, ownBaseline);
    } finally {
      await limited.close();
    }
  });
});
