import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRunner, type Runner } from '@pastiche/node-runner';
import {
  createRunnerClient,
  createRunnerEngine,
  probeRunner,
  RunnerNotPairedError,
  RunnerRequestError,
  type BridgeJob,
  type BridgeProgress,
  type RunnerClient,
} from '@pastiche/web-bridge';
import { pngSize } from '../helpers/pngSize.ts';

const shared = path.resolve(import.meta.dirname, '../../../shared');
const weights = path.join(shared, 'models/vgg16');
const SHALLOW = { styleLayers: ['block1_conv2', 'block2_conv2'], contentLayers: ['block2_conv2'], size: 32, seed: 1 };

describe('runner client against the real runner (pastiche serve on loopback)', () => {
  let runner: Runner;
  let client: RunnerClient;
  let job: (options: BridgeJob['options']) => BridgeJob;
  before(async () => {
    assert.ok(existsSync(path.join(weights, 'model.json')), `no weights at ${weights}: they are part of what this checks`);
    runner = await createRunner({ port: 0, backend: 'wasm', weights, configDir: await mkdtemp(path.join(tmpdir(), 'pastiche-bridge-')), stateDir: await mkdtemp(path.join(tmpdir(), 'pastiche-bridge-state-')) });
    client = createRunnerClient({ baseUrl: runner.url });
    const content = { bytes: new Uint8Array(await readFile(path.join(shared, 'images/tubingen.jpg'))), mime: 'image/jpeg' };
    const style = { bytes: new Uint8Array(await readFile(path.join(shared, 'images/starry_night.jpg'))), mime: 'image/jpeg' };
    job = (options) => ({ content, styles: [{ image: style, weight: 1 }], options, preview: { every: 1, maxSide: 16 } });
  });
  after(() => runner?.close());

  it('finds the runner, is not paired until given its token, then is ready', async () => {
    const unpaired = await probeRunner(client);
    assert.equal(unpaired.state, 'not-paired');
    assert.equal(unpaired.state === 'not-paired' && unpaired.health.backend, 'wasm');
    await assert.rejects(client.pair('x'.repeat(43)), RunnerNotPairedError);
    await client.pair(runner.token);
    assert.equal((await probeRunner(client)).state, 'ready');
  });

  it('serves the weights the in-page engine loads: model.json and each shard it names, with the token', async () => {
    const modelJson = await fetch(client.modelJsonUrl('vgg16'), { headers: client.authHeaders() });
    assert.equal(modelJson.status, 200);
    const manifest = (await modelJson.json()) as { weightsManifest: Array<{ paths: string[] }> };
    const shard = manifest.weightsManifest[0].paths[0];
    const bytes = await fetch(new URL(shard, client.modelJsonUrl('vgg16')), { headers: client.authHeaders() });
    assert.equal(bytes.status, 200);
    assert.ok((await bytes.arrayBuffer()).byteLength > 0);
    assert.equal((await fetch(client.modelJsonUrl('vgg16'))).status, 401);
  });

  it('paints a job through the runner engine: progress with previews, then a PNG of the requested size', async () => {
    const engine = createRunnerEngine(client);
    const progress: BridgeProgress[] = [];
    const result = await engine.stylize(job({ ...SHALLOW, evaluations: 3 }), { onProgress: (p) => progress.push(p) });
    assert.deepEqual(pngSize(result.png), { width: 32, height: 24 });
    assert.deepEqual([result.width, result.height], [32, 24]);
    assert.match(result.stats.backend, /^wasm/); // 'wasm-threaded' where there are several cores
    assert.deepEqual({ ...result.stats, elapsedMs: 0, backend: 'wasm' }, { evaluations: 3, elapsedMs: 0, backend: 'wasm', engine: 'runner', seed: 1 });
    assert.deepEqual([...new Set(progress.map((p) => p.totalEvaluation))], [1, 2, 3]);
    const preview = progress.find((p) => p.preview)?.preview;
    assert.ok(preview, 'a preview every evaluation');
    assert.ok(Math.max(...Object.values(pngSize(preview.bytes))) <= 16);
    assert.match(engine.describe(), /^on the runner at 127\.0\.0\.1:\d+, wasm$/);
  });

  it('cancels a running job: the call rejects with AbortError at once and the runner stops it', async () => {
    const engine = createRunnerEngine(client);
    const controller = new AbortController();
    const painting = engine.stylize(job({ ...SHALLOW, evaluations: 5000 }), { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(painting, (e) => (e as Error).name === 'AbortError');
    const deadline = Date.now() + 10_000; // 5000 evaluations would take minutes: an idle runner means the cancel reached it
    while ((await client.health()).queue.running > 0) {
      assert.ok(Date.now() < deadline, 'the runner still runs the cancelled job');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('cancels through the client: the event stream ends with cancelled and the status says so', async () => {
    const { id } = await client.submit(job({ ...SHALLOW, evaluations: 5000 }));
    const types: string[] = [];
    for await (const event of client.events(id)) {
      types.push(event.type);
      if (event.type === 'progress' && !types.includes('cancel sent')) {
        types.push('cancel sent');
        assert.equal((await client.cancel(id)).status, 'cancelled');
      }
    }
    assert.equal(types.at(-1), 'cancelled');
    assert.equal((await client.status(id)).status, 'cancelled');
  });

  it('names the field of a request the runner refuses', async () => {
    await assert.rejects(client.submit(job({ ...SHALLOW, size: 99999 })), (e) => e instanceof RunnerRequestError && e.status === 400 && e.field === 'options.size');
    await assert.rejects(
      client.submit(job({ ...SHALLOW, styleLayers: ['block5_conv3'] })),
      (e) => e instanceof RunnerRequestError && e.field === 'options.styleLayers' && /block5_conv3/.test(e.message),
    );
  });
});
