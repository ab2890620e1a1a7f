import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { health, json, readJobEvents, SHALLOW, startTestRunner, untilIdle, type ReceivedEvent, type TestRunner } from './helpers/runner.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner();
});
after(() => runner?.close());

/** Starts reading a job's stream; `started` resolves at its first progress event. */
function follow(id: string) {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const finished = readJobEvents(runner, id, { onEvent: (e: ReceivedEvent) => e.event === 'progress' && started() });
  return { running, finished };
}

describe('pastiche serve: the engine runs in its own supervised process', () => {
  test('SIGKILL to the engine mid-job: health answers throughout, that job fails engine_crashed, the next job succeeds, one restart', async () => {
    const { pid } = (await health(runner)).engine.processes[0];
    assert.notEqual(pid, process.pid, 'the engine is not the server');
    const { id } = await json(await runner.submit({ options: { ...SHALLOW, size: 64, evaluations: 1000 } }));
    const stream = follow(id);
    await stream.running;

    const answers: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const response = await runner.api('/v1/health', { token: null });
        answers.push(response.status);
        await response.json();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    process.kill(pid, 'SIGKILL');
    const last = (await stream.finished).events.at(-1)!;
    assert.equal(last.event, 'failed');
    assert.equal(last.data.error.code, 'engine_crashed');
    assert.match(last.data.error.message, /the engine process was killed by SIGKILL while painting this job; it was restarted/);

    const next = await json(await runner.submit());
    assert.equal((await readJobEvents(runner, next.id)).events.at(-1)!.event, 'done');
    polling = false;
    await poller;
    assert.ok(answers.length >= 5, `${answers.length} health answers`);
    assert.deepEqual(new Set(answers), new Set([200]), 'health answered every time, the restart included');

    const engine = await untilIdle(runner);
    assert.equal(engine.restarts, 1);
    assert.equal(engine.processes[0].lastExit, 'was killed by SIGKILL');
    assert.notEqual(engine.processes[0].pid, pid);
    assert.equal((await json(await runner.api(`/v1/jobs/${id}`))).error.code, 'engine_crashed');
  });

  test('health answers while a 512 px job runs, and shows the engine busy', async () => {
    const { id } = await json(await runner.submit({ options: { ...SHALLOW, size: 512, evaluations: 4 } }));
    const stream = follow(id);
    await stream.running;
    const during = await health(runner);
    assert.deepEqual([during.queue.running, during.engine.processes[0].state], [1, 'busy']);
    assert.equal((await json(await runner.api(`/v1/jobs/${id}`, { method: 'DELETE' }))).status, 'cancelled');
    await stream.finished;
  });
});

describe('pastiche serve: --concurrency 2 runs two engine processes', () => {
  test('two jobs paint at once, each on its own engine', async () => {
    const two = await startTestRunner({ concurrency: 2 });
    try {
      const processes = (await health(two)).engine.processes;
      assert.equal(processes.length, 2);
      assert.notEqual(processes[0].pid, processes[1].pid);
      const ids = await Promise.all([1, 2].map(async () => (await json(await two.submit({ options: { ...SHALLOW, evaluations: 30 } }))).id));
      const statuses = await Promise.all(ids.map(async (id) => (await readJobEvents(two, id), json(await two.api(`/v1/jobs/${id}`)))));
      assert.deepEqual(statuses.map((s) => s.status), ['succeeded', 'succeeded']);
      assert.ok(Date.parse(statuses[1].startedAt) < Date.parse(statuses[0].finishedAt), 'the second started before the first finished');
    } finally {
      await two.close();
    }
  });
});
