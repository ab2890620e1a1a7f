import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RUNNER_DEFAULTS } from '../../src/serve/runnerConfig.ts';
import { FAILING_SEEDS } from './helpers/failingEngine.ts';
import { FAILING_ENGINE, health, json, readJobEvents, SHALLOW, startTestRunner, untilIdle, type ReceivedEvent, type TestRunner } from './helpers/runner.ts';

const LONG = { ...SHALLOW, size: 64, evaluations: 1000 };

let runner: TestRunner;
/** Tensors the engine holds with no job: its weights. Every job must leave exactly these. */
let baseline: number;
before(async () => {
  runner = await startTestRunner({ cancelGraceSeconds: 1 }, { engineEntry: FAILING_ENGINE });
  baseline = (await untilIdle(runner)).processes[0].memory.numTensors;
});
after(() => runner?.close());

/** The engine's tensors once idle, and its restarts so far. */
async function engineAtRest() {
  const engine = await untilIdle(runner);
  return { numTensors: engine.processes[0].memory.numTensors, restarts: engine.restarts };
}

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

describe('pastiche serve: cancel', () => {
  test('a running job stops within one evaluation and frees its memory', async () => {
    const { id } = await json(await runner.submit({ options: LONG }));
    const stream = follow(id);
    await stream.until((e) => e.event === 'progress' && e.data.totalEvaluation >= 2);
    const cancelled = await runner.api(`/v1/jobs/${id}`, { method: 'DELETE' });
    assert.equal(cancelled.status, 200);
    const status = await json(cancelled);
    assert.equal(status.status, 'cancelled');
    assert.equal(status.cancelRequested, true);
    await stream.finished;
    assert.equal(stream.seen.at(-1)!.event, 'cancelled');
    // The engine runs in its own process, so a few evaluations (a few ms each here) pass while the cancel travels.
    assert.ok(status.progress.totalEvaluation < 100, `${status.progress.totalEvaluation} of 1000 evaluations done`);
    assert.equal((await runner.api(`/v1/jobs/${id}/result`)).status, 409);
    assert.deepEqual(await engineAtRest(), { numTensors: baseline, restarts: 0 }, 'the engine stopped by itself and released the job');
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
    assert.deepEqual(await engineAtRest(), { numTensors: baseline, restarts: 0 });
  });

  test('deleting a finished job forgets it and its result', async () => {
    const { id } = await json(await runner.submit());
    await readJobEvents(runner, id);
    assert.equal((await json(await runner.api(`/v1/jobs/${id}`, { method: 'DELETE' }))).status, 'succeeded');
    assert.equal((await runner.api(`/v1/jobs/${id}/result`)).status, 404);
  });
});

describe('pastiche serve: a failing job fails alone, its engine is replaced, the next job runs', () => {
  test('out of memory: reported as such, on its stream and status', async () => {
    const failing = await json(await runner.submit({ options: { ...SHALLOW, seed: FAILING_SEEDS.outOfMemory, evaluations: 10 } }));
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
    const engine = await untilIdle(runner);
    assert.equal(engine.processes[0].lastExit, 'exited after a failed job to start afresh');
    assert.equal(engine.processes[0].memory.numTensors, baseline);
  });

  test('a wasm trap ("memory access out of bounds") is engine_crashed, not out_of_memory', async () => {
    const { restarts } = await engineAtRest();
    const broken = await json(await runner.submit({ options: { ...SHALLOW, seed: FAILING_SEEDS.wasmTrap, evaluations: 10 } }));
    const good = await json(await runner.submit());
    const last = (await readJobEvents(runner, broken.id)).events.at(-1)!;
    assert.deepEqual([last.event, last.data.error.code], ['failed', 'engine_crashed']);
    assert.match(last.data.error.message, /memory access out of bounds/);
    assert.equal((await readJobEvents(runner, good.id)).events.at(-1)!.event, 'done');
    assert.deepEqual(await engineAtRest(), { numTensors: baseline, restarts: restarts + 1 });
  });

  test('an engine that ignores its cancel is killed after --cancel-grace-seconds; the job is cancelled', async () => {
    const { restarts } = await engineAtRest();
    const wedged = await json(await runner.submit({ options: { ...SHALLOW, seed: FAILING_SEEDS.wedged, evaluations: 10 } }));
    const stream = follow(wedged.id);
    await stream.until((e) => e.event === 'progress' && e.data.totalEvaluation === 2);
    // The engine wedges in evaluation 3, a moment after reporting evaluation 2: a cancel sent in that moment
    // would be heeded before it wedges.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelled = await json(await runner.api(`/v1/jobs/${wedged.id}`, { method: 'DELETE' }));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await health(runner)).engine.processes[0].lastExit, 'was killed by SIGKILL');
    const next = await json(await runner.submit());
    assert.equal((await readJobEvents(runner, next.id)).events.at(-1)!.event, 'done');
    assert.deepEqual(await engineAtRest(), { numTensors: baseline, restarts: restarts + 1 });
  });
});

describe('pastiche serve: --max-job-seconds', () => {
  test('a job past its wall time is killed with its engine and fails naming the limit; the next job runs', async () => {
    const limited = await startTestRunner({ maxJobSeconds: 1 });
    try {
      const { id } = await json(await limited.submit({ options: LONG }));
      const { events } = await readJobEvents(limited, id);
      const last = events.at(-1)!;
      assert.equal(last.event, 'failed');
      assert.equal(last.data.error.code, 'time_limit');
      assert.match(last.data.error.message, /longer than 1 s \(limit --max-job-seconds 1\)/);
      const next = await json(await limited.submit());
      assert.equal((await readJobEvents(limited, next.id)).events.at(-1)!.event, 'done');
      const engine = await untilIdle(limited);
      assert.deepEqual([engine.restarts, engine.processes[0].lastExit], [1, 'was killed by SIGKILL']);
    } finally {
      await limited.close();
    }
  });
});

describe('pastiche serve: cancel with the default grace', () => {
  test('a job whose engine cannot hear the cancel is answered within a second: cancelled, its engine gone, when the reply comes', async () => {
    assert.ok(RUNNER_DEFAULTS.cancelGraceSeconds <= 0.5, `a ${RUNNER_DEFAULTS.cancelGraceSeconds} s grace leaves no room for the kill within 1 s`);
    const defaults = await startTestRunner({}, { engineEntry: FAILING_ENGINE });
    try {
      const { id } = await json(await defaults.submit({ options: { ...SHALLOW, seed: FAILING_SEEDS.wedged, evaluations: 10 } }));
      let wedged!: () => void;
      const inEvaluation3 = new Promise<void>((resolve) => (wedged = resolve));
      const events = readJobEvents(defaults, id, { onEvent: (e) => e.event === 'progress' && e.data.totalEvaluation === 2 && wedged() });
      await inEvaluation3;
      await new Promise((resolve) => setTimeout(resolve, 300)); // past the moment it could still hear a cancel
      const { pid } = (await health(defaults)).engine.processes[0];
      const cancelled = await json(await defaults.api(`/v1/jobs/${id}`, { method: 'DELETE' }));
      assert.equal(cancelled.status, 'cancelled');
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `engine ${pid} is still alive when the cancel is answered`);
      assert.equal((await events).events.at(-1)!.event, 'cancelled');
    } finally {
      await defaults.close();
    }
  });
});
