import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { readCheckpointFile } from '../../src/checkpoint/checkpointFile.ts';
import { freePort } from '../helpers/freePort.ts';
import { addUserToken } from '../../src/serve/userTokens.ts';
import { parseEventStream } from './helpers/parseEventStream.ts';
import { json, type ReceivedEvent } from './helpers/runner.ts';
import { repoRoot, weightsPath } from '../helpers/paths.ts';

// `pastiche serve` as its own process on onnx-cpu (deterministic for a seed) with the real weights: killed with
// SIGKILL mid-job and started again on the same state directory and port.
const CLI = path.resolve(import.meta.dirname, '../../src/cli/main.ts');
const IMAGES = path.resolve(repoRoot, '../shared/images');
const EVALUATIONS = 150;
/** Several of the core's default checkpoint intervals (20 evaluations) in: the kill loses the evaluations since the last. */
const KILL_AFTER = 110;
const OPTIONS = {
  size: 96,
  evaluations: EVALUATIONS,
  seed: 5,
  contentLayers: ['block2_conv2'],
  styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'],
};

interface ServeProcess {
  url: string;
  token: string;
  log(): string;
  child: ChildProcess;
}
const started: ChildProcess[] = [];
after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function serve(port: number, configDir: string, stateDir: string): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'serve', '--port', String(port), '--backend', 'onnx-cpu', '--weights', weightsPath, '--state-dir', stateDir],
    { env: { ...process.env, PASTICHE_CONFIG_DIR: configDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  started.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (out += c));
  const [, url, token] = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pastiche serve not ready in 180 s:\n${out}`)), 180_000);
    const check = () => {
      const match = /listening on (\S+)\npairing token: (\S+)\n/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`pastiche serve exited with ${code}:\n${out}`)));
  });
  return { url, token, log: () => out, child };
}

const api = (server: ServeProcess, route: string, token: string, init: RequestInit = {}) =>
  fetch(`${server.url}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

async function submit(server: ServeProcess, token: string, options: object) {
  const [content, style] = await Promise.all([readFile(path.join(IMAGES, 'tubingen.jpg')), readFile(path.join(IMAGES, 'starry_night.jpg'))]);
  const body = encodeJobEnvelope({ content: new Uint8Array(content), styles: [{ image: new Uint8Array(style) }], options });
  const response = await api(server, '/v1/jobs', token, { method: 'POST', body, headers: { 'content-type': JOB_CONTENT_TYPE } });
  assert.equal(response.status, 202, await response.clone().text());
  return (await response.json()).id as string;
}

/** Reads a job's events until the stream ends or `stop` says so (the stream is dropped then). */
async function events(server: ServeProcess, id: string, token: string, stop: (e: ReceivedEvent) => boolean = () => false) {
  const controller = new AbortController();
  const response = await api(server, `/v1/jobs/${id}/events`, token, { signal: controller.signal });
  assert.equal(response.status, 200);
  const seen: ReceivedEvent[] = [];
  try {
    for await (const item of parseEventStream(response.body!)) {
      if (item.kind !== 'event') continue;
      seen.push({ event: item.event, data: JSON.parse(item.data) });
      if (stop(seen.at(-1)!)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    controller.abort();
  }
  return seen;
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function result(server: ServeProcess, id: string, token: string) {
  const response = await api(server, `/v1/jobs/${id}/result`, token);
  assert.equal(response.status, 200, await response.clone().text());
  return Buffer.from(await response.arrayBuffer());
}

describe('pastiche serve: kill -9 and a restart on the same state directory', () => {
  test('the running job continues from its checkpoint to the same result bytes as an uninterrupted run; the queued job survives; each stays its owner\'s', async () => {
    const [configDir, stateDir] = await Promise.all([mkdtemp(path.join(tmpdir(), 'pastiche-restart-')), mkdtemp(path.join(tmpdir(), 'pastiche-restart-state-'))]);
    const ana = await addUserToken(configDir, 'ana');
    const ben = await addUserToken(configDir, 'ben');
    const port = await freePort();

    const first = await serve(port, configDir, stateDir);
    const running = await submit(first, ana, OPTIONS);
    const queued = await submit(first, ben, { ...OPTIONS, size: 48, evaluations: 10 });
    const before = await events(first, running, ana, (e) => e.event === 'progress' && e.data.totalEvaluation >= KILL_AFTER);
    assert.equal(before.at(-1)!.event, 'progress', `the job ended before the kill: ${JSON.stringify(before.at(-1))}`);
    const enginePid: number = (await json(await fetch(`${first.url}/v1/health`))).engine.processes[0].pid;
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // Its engine process exits when its channel to the server closes (at its next evaluation): after that, nothing writes the checkpoint.
    while (isAlive(enginePid)) await new Promise((r) => setTimeout(r, 50));
    const left = (await readCheckpointFile(path.join(stateDir, 'jobs', running, 'checkpoint'))).position.totalEvaluations;
    assert.ok(left > 0 && left < EVALUATIONS, `the killed server's last checkpoint is after ${left} evaluations`);

    const second = await serve(port, configDir, stateDir);
    assert.equal((await api(second, `/v1/jobs/${running}`, ben)).status, 404, "ben does not see ana's job");
    assert.equal((await api(second, `/v1/jobs/${queued}`, ana)).status, 404, "ana does not see ben's job");
    const after = await events(second, running, ana);
    assert.equal(after.at(-1)!.event, 'done', `${JSON.stringify(after.at(-1))}\n${second.log()}`);
    const firstProgress = after.find((e) => e.event === 'progress')!.data.totalEvaluation;
    assert.equal(firstProgress, left + 1, 'it went on from its checkpoint, not from the start');
    assert.match(second.log(), new RegExp(`job ${running} continues from its checkpoint`));
    const resumed = await result(second, running, ana);

    assert.equal((await events(second, queued, ben)).at(-1)!.event, 'done');
    assert.equal((await result(second, queued, ben)).subarray(0, 4).toString('latin1'), '\x89PNG');

    // The same job never interrupted, on the same runner: byte for byte the same image.
    const uninterrupted = await submit(second, ana, OPTIONS);
    assert.equal((await events(second, uninterrupted, ana)).at(-1)!.event, 'done');
    assert.ok(resumed.equals(await result(second, uninterrupted, ana)), 'the resumed result differs from the uninterrupted one');
    assert.equal((await json(await api(second, `/v1/jobs/${running}`, ana))).status, 'succeeded');
    second.child.kill('SIGTERM');
  });
});
