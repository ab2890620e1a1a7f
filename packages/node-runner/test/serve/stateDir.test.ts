import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { readCheckpointFile } from '../../src/checkpoint/checkpointFile.ts';
import { addUserToken } from '../../src/serve/userTokens.ts';
import { json, readJobEvents, SHALLOW, startTestRunner, type TestRunner } from './helpers/runner.ts';

// The runner's state directory, in this process: a 'keep' shutdown and a start on the same directory, expiry, the lock.
const tempDir = (prefix: string) => mkdtemp(path.join(tmpdir(), prefix));
const jobFolders = (stateDir: string) => readdir(path.join(stateDir, 'jobs'));

async function untilStatus(runner: TestRunner, id: string, wanted: (status: any) => boolean, token = runner.token) {
  for (let i = 0; i < 2400; i++) {
    const status = await json(await runner.api(`/v1/jobs/${id}`, { token }));
    if (wanted(status)) return status;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id}: timed out`);
}

describe('pastiche serve: the state directory', () => {
  test("a 'keep' shutdown (the default) leaves running and queued jobs; the next runner on the directory paints them, each still its owner's", async () => {
    const [configDir, stateDir] = await Promise.all([tempDir('pastiche-keep-'), tempDir('pastiche-keep-state-')]);
    const ana = await addUserToken(configDir, 'ana');
    const ben = await addUserToken(configDir, 'ben');
    const first = await startTestRunner({ configDir, stateDir });
    const running = await json(await first.submit({ options: { ...SHALLOW, size: 40, evaluations: 400 } }, { token: ana }));
    const queued = await json(await first.submit({ options: { ...SHALLOW, size: 24 } }, { token: ben }));
    await untilStatus(first, running.id, (s) => s.status === 'running' && s.progress);
    let connected!: () => void;
    const streaming = new Promise<void>((resolve) => (connected = resolve));
    const stream = readJobEvents(first, running.id, { onEvent: connected });
    await streaming;
    await first.close();
    const seen = (await stream).events;
    assert.ok(!seen.some((e) => ['done', 'failed', 'cancelled'].includes(e.event)), 'the stream ends without an end: the job goes on');
    // Its last step was checkpointed as it stopped, not only the last periodic one (every 20 evaluations): at most
    // the evaluations of one line search behind the last progress its client saw.
    const lastSeen = Math.max(...seen.filter((e) => e.event === 'progress').map((e) => e.data.totalEvaluation));
    const kept = (await readCheckpointFile(path.join(stateDir, 'jobs', running.id, 'checkpoint'))).position.totalEvaluations;
    assert.ok(kept >= lastSeen - 5, `checkpoint after ${kept} evaluations; the client saw ${lastSeen}`);

    const lines: string[] = [];
    const second = await startTestRunner({ configDir, stateDir }, { log: (line) => lines.push(line) });
    try {
      assert.ok(lines.includes('2 job(s) taken up from the state directory (1 of them were running)'), lines.join('\n'));
      assert.equal((await second.api(`/v1/jobs/${running.id}`, { token: ben })).status, 404, "ben does not see ana's job");
      assert.equal((await second.api(`/v1/jobs/${queued.id}`, { token: ana })).status, 404, "ana does not see ben's job");
      const events = (await readJobEvents({ ...second, api: (route, init) => second.api(route, { ...init, token: ana }) } as TestRunner, running.id)).events;
      assert.equal(events.at(-1)!.event, 'done', JSON.stringify(events.at(-1)));
      assert.equal(events.find((e) => e.event === 'progress')!.data.totalEvaluation, kept + 1, 'it went on from the kept checkpoint');
      for (const [id, token, side] of [[running.id, ana, 40], [queued.id, ben, 24]] as const) {
        assert.equal((await untilStatus(second, id, (s) => s.status !== 'queued' && s.status !== 'running', token)).status, 'succeeded');
        const png = Buffer.from(await (await second.api(`/v1/jobs/${id}/result`, { token })).arrayBuffer());
        assert.equal((await sharp(png).metadata()).width, side);
      }
    } finally {
      await second.close();
    }
  });

  test('a finished job keeps only its record and result; a result nobody fetches goes after --retention-hours, with its folder', async () => {
    const stateDir = await tempDir('pastiche-retention-');
    const runner = await startTestRunner({ stateDir, retentionHours: 2 / 3600 }); // 2 s
    try {
      const { id } = await json(await runner.submit());
      await untilStatus(runner, id, (s) => s.status === 'succeeded');
      // The job shows its end once its record says so; its images and checkpoint are deleted right after.
      const files = () => readdir(path.join(stateDir, 'jobs', id)).then((names) => names.sort());
      for (let i = 0; i < 40 && (await files()).length > 2; i++) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(await files(), ['job.json', 'result.png'], 'its images and checkpoint are deleted within a second of its end');
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal((await runner.api(`/v1/jobs/${id}`)).status, 404);
      assert.deepEqual(await jobFolders(stateDir), []);
    } finally {
      await runner.close();
    }
  });

  test('one runner per directory; an unreadable job record is deleted at start, naming the job', async () => {
    const stateDir = await tempDir('pastiche-lock-');
    const first = await startTestRunner({ stateDir });
    await assert.rejects(startTestRunner({ stateDir }), new RegExp(`the state directory ${stateDir} is in use by another pastiche serve \\(pid ${process.pid}\\)`));
    await first.close();

    const broken = '00000000-0000-4000-8000-000000000000';
    await mkdir(path.join(stateDir, 'jobs', broken), { recursive: true });
    await writeFile(path.join(stateDir, 'jobs', broken, 'job.json'), '{"version": 99}');
    const lines: string[] = [];
    const second = await startTestRunner({ stateDir }, { log: (line) => lines.push(line) });
    await second.close();
    assert.ok(lines.some((line) => line.startsWith(`job ${broken}: its record in the state directory is unreadable`)), lines.join('\n'));
    assert.deepEqual(await jobFolders(stateDir), []);
  });
});
