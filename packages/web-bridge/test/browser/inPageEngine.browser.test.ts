import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { buildWorkerBundle } from '../../src/build/index.ts';
import type { Harness, StartOptions } from './page.ts';
import { OPAQUE_HOST, waitForHarness } from './opaqueHost.ts';
import { serveTestSite, type TestSite } from './serveTestSite.ts';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const shared = path.resolve(repoRoot, '../shared');
const modelDir = path.join(shared, 'models/vgg16');
const artifacts = path.join(repoRoot, '.artifacts/web-bridge');
const TOKEN = 't'.repeat(43);

const PAGE = `<!doctype html><meta charset="utf-8"><title>Pastiche: in-page engine</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 16px; }
  figure { display: inline-block; margin: 0 12px 12px 0; }
  img { width: 192px; height: 144px; object-fit: contain; image-rendering: pixelated; background: #eee; border: 1px solid #ccc; }
  pre { background: #f5f5f5; padding: 8px; white-space: pre-wrap; }
</style>
<h1>Pastiche in-page engine</h1>
${['content', 'style', 'preview', 'result'].map((id) => `<figure><img id="${id}"><figcaption>${id}</figcaption></figure>`).join('')}
<pre id="log"></pre>
<script src="/page.js"></script>`;

describe('in-page engine in headless Chromium without WebGPU (real weights, blocks 1–2)', { timeout: 600_000 }, () => {
  let site: TestSite;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let deadUrl: string;
  const call = <K extends keyof Harness>(target: Page | Frame, name: K, ...args: Parameters<Harness[K]>) =>
    target.evaluate(([n, a]) => (globalThis as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[n](...a), [name, args] as const) as Promise<Awaited<ReturnType<Harness[K]>>>;
  const start = (target: Page | Frame, options: Omit<StartOptions, 'origin' | 'token' | 'deadUrl'>) => call(target, 'start', { origin: site.origin, token: TOKEN, deadUrl, ...options });

  before(async () => {
    // A missing browser or missing weights fail the suite: they are part of what it checks.
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install -y chromium fonts-inter)`);
    assert.ok(existsSync(path.join(modelDir, 'model.json')), `no weights at ${modelDir}`);
    const [pageBundle, workerBundle] = await Promise.all([
      build({ entryPoints: [path.join(import.meta.dirname, 'page.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome110', logLevel: 'silent' }),
      buildWorkerBundle({ minify: true }),
    ]);
    site = await serveTestSite({
      pages: { '/': PAGE, '/opaque.html': '' },
      scripts: { '/page.js': pageBundle.outputFiles[0].text, '/worker.js': workerBundle },
      modelDir,
      imageDir: path.join(shared, 'images'),
      wasmDir: path.join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
      token: TOKEN,
    });
    deadUrl = `http://127.0.0.1:${await closedPort()}/vgg16/model.json`;
    await mkdir(artifacts, { recursive: true });
    userDataDir = await mkdtemp(path.join(tmpdir(), 'pastiche-chromium-'));
    // playwright refuses --user-data-dir in args: a persistent context is how it takes a fresh profile folder.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 900, height: 640 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => process.env.DEBUG_BROWSER && console.log(`[page] ${message.text()}`));
    await page.goto(`${site.origin}/`);
  });

  after(async () => {
    await context?.close();
    await site?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it('times itself on weights of the real shapes, before the weights are asked for: nothing is downloaded', async () => {
    await start(page, { weights: 'runner-first', backends: ['wasm'], wasmPaths: `${site.origin}/wasm/` });
    const before = site.requests.length;
    const calibration = await call(page, 'calibrate', { styleLayers: ['block1_conv2', 'block2_conv2'], contentLayers: ['block1_conv2'] });
    assert.deepEqual({ ...calibration, msPerPixel: 0 }, { model: 'vgg16', throughLayer: 'block2_conv2', msPerPixel: 0 });
    assert.ok(calibration.msPerPixel > 0 && Number.isFinite(calibration.msPerPixel), JSON.stringify(calibration));
    assert.deepEqual(site.requests.slice(before).map((r) => r.path).filter((p) => /models|\.bin$|\.json$/.test(p)), [], 'no request for weights');
    await call(page, 'dispose');
  });

  it('gives way to a run: a timing under way when Stylize is clicked stops, the run loads its weights and paints, and the timing is done again after it', async () => {
    await start(page, { weights: 'url', backends: ['wasm'], wasmPaths: `${site.origin}/wasm/` });
    // The Preview's depth, on synthetic weights: several seconds of WebAssembly, so 1 s in it is under way.
    const deep = { styleLayers: ['block1_conv1', 'block2_conv1', 'block3_conv1', 'block4_conv1', 'block5_conv1'], contentLayers: ['block4_conv2'] };
    const { painted, paintedMs, calibration, timedMs, waiting } = await call(page, 'paintWhileTiming', site.origin, deep, 1000);
    assert.ok(painted.ok, JSON.stringify(painted.error));
    assert.deepEqual(painted.progress.map((p) => p.totalEvaluation), [1, 2, 3]);
    assert.ok(timedMs > paintedMs, `the timing ended at ${Math.round(timedMs)} ms, before the run's result at ${Math.round(paintedMs)} ms: the run waited for it`);
    assert.deepEqual(waiting, [true, false], 'the timing said when it waited for the run (the panel says so) and when it went on');
    assert.deepEqual({ ...calibration, msPerPixel: 0 }, { model: 'vgg16', throughLayer: 'block5_conv1', msPerPixel: 0 });
    assert.ok(calibration.msPerPixel > 0 && Number.isFinite(calibration.msPerPixel), JSON.stringify(calibration));
    await call(page, 'dispose');
  });

  // WebGL here is SwiftShader, which the default order passes over for WebAssembly: these runs leave WebAssembly out.
  it('starts on WebGL in its worker (no WebGPU here), and loads the weights from the runner after a dead URL, with the token and progress', async () => {
    await start(page, { weights: 'runner-first', backends: ['onnx-webgpu', 'webgl', 'cpu'] });
    const { info, describe: description, weightsProgress } = await call(page, 'prepare');
    assert.equal(info.backend, 'webgl', `backend ${info.backend} (${info.skipped.join('; ')})`);
    assert.equal(description, 'in this page, WebGL');
    assert.match(info.skipped.join('; '), /^WebGPU unavailable \(no (navigator\.gpu|adapter)/);
    assert.match(info.weights.source, /^the runner at 127\.0\.0\.1:\d+$/);
    assert.equal(info.weights.cache, 'cache-api');
    assert.equal(info.weights.fromCache, false);
    const shards = site.requests.filter((r) => r.path.startsWith('/v1/models/') && r.path.endsWith('.bin'));
    assert.ok(shards.length > 0 && shards.every((r) => r.authorized), 'every shard fetched with the token');
    const last = weightsProgress.at(-1)!;
    assert.ok(weightsProgress.length > shards.length, 'progress while downloading');
    assert.equal(last.loaded, last.total);
    assert.equal(last.total, info.weights.bytes);
  });

  it('paints 3 evaluations in its worker: progress with previews, a PNG of the content\'s shape', async (t) => {
    const outcome = await call(page, 'paint', site.origin, 3);
    assert.ok(outcome.ok, JSON.stringify(outcome.error));
    assert.deepEqual(outcome.decoded, { width: 32, height: 24 });
    assert.deepEqual([outcome.width, outcome.height], [32, 24]);
    assert.deepEqual(outcome.progress.map((p) => p.totalEvaluation), [1, 2, 3]);
    assert.ok(outcome.progress.every((p) => p.preview && Number.isFinite(p.loss)));
    assert.deepEqual((outcome.stats as { backend: string; engine: string; evaluations: number }).backend, 'webgl');
    // The page stays responsive because the engine runs in a Web Worker; the stall is reported, not bounded.
    assert.ok(page.workers().some((w) => new URL(w.url()).pathname === '/worker.js'), `workers: ${page.workers().map((w) => w.url()).join(', ')}`);
    t.diagnostic(`longest main-thread stall while painting: ${Math.round(outcome.longestStallMs)} ms`);
    await page.screenshot({ path: path.join(artifacts, 'in-page-engine.png'), fullPage: true });
  });

  // 500 evaluations take many minutes here: the next job finishing within the timeout shows the worker stopped.
  it('rejects with AbortError when cancelled mid-run, then paints the next job', { timeout: 120_000 }, async () => {
    const cancelled = await call(page, 'paint', site.origin, 500, true);
    assert.equal(cancelled.ok, false);
    assert.equal(cancelled.error?.name, 'AbortError');
    assert.equal(cancelled.progress.length, 1);
    const next = await call(page, 'paint', site.origin, 2);
    assert.ok(next.ok, JSON.stringify(next.error));
    assert.deepEqual(next.progress.map((p) => p.totalEvaluation), [1, 2]);
  });

  it('loads the weights from the Cache API in a new session, asking the server for model.json only', async () => {
    await call(page, 'dispose');
    const before = site.requests.length;
    await start(page, { weights: 'runner-first', backends: ['onnx-webgpu', 'webgl', 'cpu'] });
    const { info } = await call(page, 'prepare');
    assert.equal(info.weights.fromCache, true);
    assert.deepEqual(site.requests.slice(before).filter((r) => r.path.startsWith('/v1/models/')).map((r) => r.path), ['/v1/models/vgg16/model.json']);
  });

  it('passes over WebGL drawn on the CPU for WebAssembly, saying why', async () => {
    await start(page, { weights: 'url', wasmPaths: `${site.origin}/wasm/` });
    const { info, describe: description } = await call(page, 'prepare');
    assert.equal(info.backend, 'wasm');
    assert.match(description, /^in this page, WebAssembly \(WebGPU unavailable \(.+\); WebGL drawn on the CPU by SwiftShader\)$/);
  });

  it('falls back to WebAssembly (given where its files are), else to the CPU, saying why', async () => {
    await start(page, { weights: 'url', backends: ['wasm', 'cpu'], wasmPaths: `${site.origin}/wasm/` });
    assert.equal((await call(page, 'prepare')).describe, 'in this page, WebAssembly');
    await start(page, { weights: 'url', backends: ['wasm', 'cpu'], wasmPaths: `${site.origin}/no-wasm-here/` });
    assert.equal((await call(page, 'prepare')).describe, 'in this page, CPU (WebAssembly unavailable)');
  });

  it('works in an opaque-origin iframe (as Figma\'s plugin UI): a Blob-URL worker, weights in memory only', async () => {
    await call(page, 'dispose');
    const host = await context.newPage();
    try {
      await host.setContent(OPAQUE_HOST(site.origin));
      const frame = await waitForHarness(host);
      assert.equal(await frame.evaluate(() => origin), 'null');
      await start(frame, { weights: 'url', inlineWorker: true, backends: ['webgl', 'cpu'] });
      const { info } = await call(frame, 'prepare');
      assert.equal(info.backend, 'webgl');
      assert.equal(info.weights.cache, 'memory-only');
      const outcome = await call(frame, 'paint', site.origin, 2);
      assert.ok(outcome.ok, JSON.stringify(outcome.error));
      assert.deepEqual(outcome.decoded, { width: 32, height: 24 });
      await host.screenshot({ path: path.join(artifacts, 'opaque-iframe.png') });
    } finally {
      await host.close();
    }
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
