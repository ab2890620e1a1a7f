import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import type { ObjectiveSettings } from '@pastiche/core';
import { loadRealWeights, referenceObjective, uniform } from '@pastiche/core/test-support';
import { buildWorkerBundle } from '../../src/build/index.ts';
import type { Harness, StartOptions } from './page.ts';
import { waitForHarness } from './opaqueHost.ts';
import { serveTestSite, type TestSite } from './serveTestSite.ts';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const shared = path.resolve(repoRoot, '../shared');
const modelDir = path.join(shared, 'models/vgg16');
const artifacts = path.join(repoRoot, '.artifacts/web-bridge');
const TOKEN = 't'.repeat(43);

/**
 * Headless Chromium exposes WebGPU on SwiftShader (Chromium's own software Vulkan driver, shipped with
 * Debian's package) once WebGPU is unblocked and Vulkan enabled. A software adapter: these tests check the
 * engine's answers and the choice, not GPU speed.
 */
const WEBGPU_ON_SWIFTSHADER = ['--enable-unsafe-webgpu', '--enable-features=Vulkan'];

/** Figma's plugin UI: the plugin's HTML as a data: URL in an iframe. */
const FIGMA_LIKE_HOST = (origin: string) => `<!doctype html><iframe src="data:text/html,${encodeURIComponent(`<pre id=log></pre><script src='${origin}/page.js'></script>`)}"></iframe>`;

const SETTINGS: ObjectiveSettings = {
  pooling: 'max',
  normalization: 'scale-invariant',
  contentLayers: ['block2_conv2'],
  styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'],
  styleLayerWeights: [0.2, 0.3, 0.5],
  contentWeight: 1,
  styleWeight: 1e-3,
  tvWeight: 1,
};
const image = (height: number, width: number, seed: number) => ({ height, width, data: uniform(height * width * 3, seed, -100, 100) });

function relativeL2(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < expected.length; i++) {
    num += (actual[i] - expected[i]) ** 2;
    den += expected[i] ** 2;
  }
  return Math.sqrt(num / den);
}

describe('in-page engine on onnxruntime-web\'s WebGPU provider, headless Chromium on SwiftShader (real weights, blocks 1–3)', { timeout: 900_000 }, () => {
  let site: TestSite;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const call = <K extends keyof Harness>(name: K, ...args: Parameters<Harness[K]>) => callIn(page, name, ...args);
  const callIn = <K extends keyof Harness>(target: Page | Frame, name: K, ...args: Parameters<Harness[K]>) =>
    target.evaluate(([n, a]) => (globalThis as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[n](...a), [name, args] as const) as Promise<Awaited<ReturnType<Harness[K]>>>;
  const start = (options: Omit<StartOptions, 'origin' | 'token'>, target: Page | Frame = page) => callIn(target, 'start', { origin: site.origin, token: TOKEN, ortWasmBase: `${site.origin}/ort/`, ...options });

  before(async () => {
    // Missing Chromium or weights fail these tests: CI installs both.
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`);
    assert.ok(existsSync(path.join(modelDir, 'model.json')), `no weights in ${modelDir}`);
    const bundle = (entry: string) => build({ entryPoints: [path.join(import.meta.dirname, entry)], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome110', logLevel: 'silent' }).then((r) => r.outputFiles[0].text);
    const [pageBundle, parityWorker, workerBundle, workerWithoutOnnx] = await Promise.all([bundle('page.ts'), bundle('onnxParityWorker.ts'), buildWorkerBundle({ minify: true }), buildWorkerBundle({ minify: true, onnx: false })]);
    site = await serveTestSite({
      pages: { '/': '<!doctype html><meta charset="utf-8"><title>Pastiche: onnx-webgpu</title><pre id="log"></pre><script src="/page.js"></script>' },
      scripts: { '/page.js': pageBundle, '/worker.js': workerBundle, '/worker-without-onnx.js': workerWithoutOnnx, '/parity-worker.js': parityWorker },
      modelDir,
      imageDir: path.join(shared, 'images'),
      wasmDir: path.join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
      ortDir: path.join(repoRoot, 'node_modules/onnxruntime-web/dist'),
      token: TOKEN,
    });
    await mkdir(artifacts, { recursive: true });
    userDataDir = await mkdtemp(path.join(tmpdir(), 'pastiche-chromium-webgpu-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', ...WEBGPU_ON_SWIFTSHADER, '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
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

  it('48×40: every term within 1e-5 relative and the gradient within 1e-5 relative L2 of the float64 reference', async (t) => {
    const content = image(40, 48, 1);
    const styles = [{ image: image(36, 44, 2), weight: 0.7 }, { image: image(30, 50, 3), weight: 0.3 }];
    const x = uniform(40 * 48 * 3, 4, -100, 100);
    const plain = (i: { height: number; width: number; data: Float32Array }) => ({ ...i, data: Array.from(i.data) });
    const request = { ortWasmBase: `${site.origin}/ort/`, modelFolder: `${site.origin}/models/vgg16/`, settings: SETTINGS, content: plain(content), styles: styles.map((s) => ({ ...s, image: plain(s.image) })), x: Array.from(x) };
    const reply = await call('evaluateOnnxWebGpu', request);
    assert.ok(reply.ok, reply.ok ? '' : reply.message);
    assert.match(reply.device, /swiftshader/i);
    const reference = referenceObjective('vgg16', await loadRealWeights('vgg16'), SETTINGS, content, styles, x);
    for (const term of ['content', 'style', 'tv'] as const) {
      const error = Math.abs(reply.terms[term] - reference.terms[term]) / Math.abs(reference.terms[term]);
      assert.ok(error <= 1e-5, `${term}: ${reply.terms[term]} vs ${reference.terms[term]} (relative error ${error})`);
    }
    assert.equal(reply.gradient.length, x.length);
    const error = relativeL2(reply.gradient, reference.gradient);
    assert.ok(error <= 1e-5, `gradient relative L2 ${error}`);
    t.diagnostic(`terms ${JSON.stringify(reply.terms)}; gradient relative L2 ${error.toExponential(2)}`);
  });

  it('auto passes the software adapter over, saying why, and paints on WebAssembly (WebGL is software too)', async (t) => {
    await start({ weights: 'url', wasmPaths: `${site.origin}/wasm/` });
    const { info, describe: description, ms } = await call('prepare');
    assert.equal(info.backend, 'wasm', description);
    assert.match(info.skipped[0], /^WebGPU on a software adapter \(google \/ swiftshader/);
    assert.equal(info.skipped[1], 'WebGL drawn on the CPU by SwiftShader');
    assert.match(description, /^in this page, WebAssembly \(WebGPU on a software adapter/);
    const outcome = await call('paint', site.origin, 2);
    assert.ok(outcome.ok, JSON.stringify(outcome.error));
    t.diagnostic(`webgl (SwiftShader GL): ready in ${Math.round(ms)} ms, first evaluation ${Math.round(outcome.firstEvaluationMs!)} ms after stylize()`);
  });

  it('forced onto the software adapter, paints through createInPageEngine: progress, a PNG of the content\'s shape', async (t) => {
    await start({ weights: 'url', backends: ['onnx-webgpu'], allowSoftwareGpu: true });
    const { info, describe: description, ms } = await call('prepare');
    assert.equal(info.backend, 'onnx-webgpu', description);
    assert.match(description, /^in this page, WebGPU \(ONNX Runtime\) on google \/ swiftshader/);
    const outcome = await call('paint', site.origin, 3);
    assert.ok(outcome.ok, JSON.stringify(outcome.error));
    assert.deepEqual(outcome.decoded, { width: 32, height: 24 });
    assert.deepEqual(outcome.progress.map((p) => p.totalEvaluation), [1, 2, 3]);
    assert.ok(outcome.progress.every((p) => p.preview && Number.isFinite(p.loss)));
    assert.equal((outcome.stats as { backend: string }).backend, 'onnx-webgpu');
    // No stall bound here: SwiftShader's GPU process takes the CPU from the page (WebGL's test has one).
    t.diagnostic(`longest main-thread stall ${Math.round(outcome.longestStallMs)} ms; onnx-webgpu (SwiftShader): ready in ${Math.round(ms)} ms, first evaluation ${Math.round(outcome.firstEvaluationMs!)} ms after stylize()`);
    await page.screenshot({ path: path.join(artifacts, 'onnx-webgpu.png'), fullPage: true });
  });

  it('passes onnx-webgpu over, saying why, when ONNX Runtime\'s binary cannot be fetched', async () => {
    await start({ weights: 'url', backends: ['onnx-webgpu', 'cpu'], allowSoftwareGpu: true, ortWasmBase: `${site.origin}/no-ort-here/` });
    const { info, describe: description } = await call('prepare');
    assert.equal(info.backend, 'cpu', description);
    assert.equal(info.skipped.length, 1);
    assert.match(info.skipped[0], /no-ort-here/, 'the error names what could not be fetched');
    assert.match(description, /^in this page, CPU \(.*no-ort-here/);
  });

  it('a worker built without ONNX Runtime says so and starts the next backend', async () => {
    await start({ weights: 'url', workerPath: '/worker-without-onnx.js', backends: ['onnx-webgpu', 'cpu'], allowSoftwareGpu: true });
    const { info } = await call('prepare');
    assert.equal(info.backend, 'cpu');
    assert.deepEqual(info.skipped, ['WebGPU (google / swiftshader), but this worker was built without ONNX Runtime']);
  });

  // Figma shows a plugin's UI as a data: URL, which Chromium does not count as a secure context: WebGPU
  // is not exposed there, so the Figma plugin's worker is built without ONNX Runtime.
  it('has no WebGPU in a data: iframe as Figma\'s plugin UI, and starts on WebGL there, saying why', async () => {
    await call('dispose');
    const host = await context.newPage();
    try {
      await host.goto(`${site.origin}/`); // a secure parent, as figma.com is
      await host.setContent(FIGMA_LIKE_HOST(site.origin));
      const frame = await waitForHarness(host);
      assert.deepEqual(await frame.evaluate(() => [origin, isSecureContext]), ['null', false]);
      await start({ weights: 'url', inlineWorker: true, backends: ['onnx-webgpu', 'webgl'], allowSoftwareGpu: true }, frame);
      const { info } = await callIn(frame, 'prepare');
      assert.equal(info.backend, 'webgl');
      assert.deepEqual(info.skipped, ['WebGPU unavailable (no navigator.gpu)']);
    } finally {
      await host.close();
    }
  });
});
