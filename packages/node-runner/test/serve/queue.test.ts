import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { fitLongestSide } from '@pastiche/core';
import { json, readJobEvents, SHALLOW, startTestRunner, untilRunning, type TestRunner } from './helpers/runner.ts';

const QUEUE_CAP = 4;
let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({ queueCap: QUEUE_CAP });
});
after(() => runner?.close());

describe('pastiche serve: the queue', () => {
  test('twenty submissions at once: each completes with its own result or is refused with 429; none is lost', async () => {
    // A long job holds the runner, so exactly QUEUE_CAP of the twenty find room.
    const blocker = await json(await runner.submit({ options: { ...SHALLOW, size: 64, evaluations: 1000 } }));
    await untilRunning(runner, blocker.id);

    const sizes = Array.from({ length: 20 }, (_, i) => 16 + i);
    const responses = await Promise.all(sizes.map((size) => runner.submit({ options: { ...SHALLOW, size, evaluations: 2 } })));
    const accepted: Array<{ id: string; size: number; queuePosition: number }> = [];
    for (const [i, response] of responses.entries()) {
      const body = await json(response);
      if (response.status === 202) {
        assert.equal(body.status, 'queued');
        accepted.push({ id: body.id, size: sizes[i], queuePosition: body.queuePosition });
        continue;
      }
      assert.equal(response.status, 429, JSON.stringify(body));
      assert.match(body.error, /the queue is full: 4 job\(s\) waiting and 1 running \(limit --queue-cap 4\)/);
      assert.deepEqual(body.limit, { name: 'queueCap', flag: '--queue-cap', value: QUEUE_CAP });
      assert.equal(response.headers.get('retry-after'), '5');
    }
    assert.equal(accepted.length, QUEUE_CAP);
    assert.deepEqual(accepted.map((a) => a.queuePosition).sort(), [1, 2, 3, 4]);

    // The last in line hears its position fall as the line moves.
    const lastInLine = accepted.find((a) => a.queuePosition === QUEUE_CAP)!;
    const lastStream = readJobEvents(runner, lastInLine.id);
    const health = await json(await runner.api('/v1/health'));
    assert.deepEqual([health.queue.queued, health.queue.running], [QUEUE_CAP, 1]);
    assert.equal((await json(await runner.api(`/v1/jobs/${blocker.id}`, { method: 'DELETE' }))).status, 'cancelled');

    const positions = (await lastStream).events.filter((e) => e.event === 'queued').map((e) => e.data.position);
    assert.deepEqual(positions, [4, 3, 2, 1]);
    for (const job of accepted) {
      const { events } = await readJobEvents(runner, job.id);
      assert.equal(events.at(-1)!.event, 'done', `job for size ${job.size}: ${events.map((e) => e.event)}`);
      const png = Buffer.from(await (await runner.api(`/v1/jobs/${job.id}/result`)).arrayBuffer());
      const meta = await sharp(png).metadata();
      const [height, width] = fitLongestSide(36, 48, job.size);
      assert.deepEqual([meta.width, meta.height], [width, height], `job for size ${job.size}`);
    }
    const after = await json(await runner.api('/v1/health'));
    assert.deepEqual([after.queue.queued, after.queue.running], [0, 0]);
  });

  test('submissions run in order (FIFO), one at a time by default', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await json(await runner.submit())).id);
    const statuses = await Promise.all(ids.map(async (id) => (await readJobEvents(runner, id), json(await runner.api(`/v1/jobs/${id}`)))));
    for (let i = 1; i < statuses.length; i++) {
      assert.ok(Date.parse(statuses[i].startedAt) >= Date.parse(statuses[i - 1].finishedAt), 'each starts after the previous one finished');
    }
  });
});

describe('pastiche serve: --keep-results-minutes', () => {
  test('a finished job and its result are freed the configured time after the result is fetched', async () => {
    const shortLived = await startTestRunner({ keepResultsMinutes: 0.005 }); // 300 ms
    try {
      const { id } = await json(await shortLived.submit());
      await readJobEvents(shortLived, id);
      assert.equal((await shortLived.api(`/v1/jobs/${id}/result`)).status, 200);
      await new Promise((r) => setTimeout(r, 600));
      const gone = await shortLived.api(`/v1/jobs/${id}`);
      assert.equal(gone.status, 404);
      assert.match((await json(gone)).error, /expired: a finished job is kept 0\.005 minutes once its result is fetched/);
      assert.equal((await shortLived.api(`/v1/jobs/${id}/result`)).status, 404);
      assert.equal((await json(await shortLived.api('/v1/health'))).queue.kept, 0);
    } finally {
      await shortLived.close();
    }
  });
});
