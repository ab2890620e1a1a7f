// With nothing else installed: no runner, the weights from the default host (a local stand-in for jsDelivr
// that the browser reaches under the real host name, at 50 Mbit/s), the Preview preset, a fresh profile.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { DEFAULT_RUNNER_URL } from '@pastiche/web-bridge/settings';
import { syntheticWeights, loadRealWeights } from '@pastiche/core/test-support';
import { writeWeightsPackage } from '@pastiche/node-runner';
import type { Harness } from './harness/harnessPage.ts';
import { serveHarness } from './harness/serveHarness.ts';
import { serveWeightsCdn } from './harness/serveWeightsCdn.ts';

const CHROMIUM = '/usr/bin/chromium';
const pluginRoot = path.resolve(import.meta.dirname, '../..');
const repoRoot = path.resolve(pluginRoot, '../..');
const shared = path.resolve(repoRoot, '../shared');
const artifacts = path.join(repoRoot, '.artifacts/figma-plugin');
const RATE = 50e6;

const PAGE = `<!doctype html><meta charset="utf-8"><title>Figma (test harness)</title>
<style>body { margin: 0; background: #e5e5e5; } iframe { display: block; border: 0; background: #fff; margin: 16px; }</style>
<iframe id="plugin" sandbox="allow-scripts" title="Pastiche"></iframe>
<script type="module" src="/harness.js"></script>`;

describe('the Figma plugin with nothing else installed: default weights from their CDN, no runner', { timeout: 1_200_000 }, () => {
  let site: Awaited<ReturnType<typeof serveHarness>>;
  let cdn: Awaited<ReturnType<typeof serveWeightsCdn>>;
  let context: BrowserContext;
  let userDataDir: string;
  let packageDir: string;

  const harness = <K extends keyof Harness>(page: Page, name: K, ...args: unknown[]) =>
    page.evaluate(([n, a]) => (window as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[n as string](...(a as unknown[])), [name, args] as const) as Promise<Awaited<ReturnType<Harness[K] extends (...a: never[]) => unknown ? Harness[K] : never>>>;
  const runMessage = (ui: FrameLocator) => ui.locator('#run .message');
  /** Waits for the run panel to show `selector`; a timeout says what the panel showed instead. */
  async function waitInRun(ui: FrameLocator, selector: string, timeout: number) {
    const failed = '#run[data-phase="failed"]';
    let problem: string | undefined;
    try {
      await ui.locator(selector === failed ? failed : `${selector}, ${failed}`).first().waitFor({ timeout });
      if (selector !== failed && (await ui.locator(failed).count()) > 0) problem = 'the run failed';
    } catch (error) {
      problem = (error as Error).message.split('\n')[0];
    }
    if (problem) throw new Error(`${selector} did not appear (${problem}); the run panel says: ${await ui.locator('#run').innerText().catch(() => '?')}`);
  }

  async function openAndSelect(): Promise<{ page: Page; ui: FrameLocator; opened: number }> {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
    page.on('console', (m) => process.env.DEBUG_BROWSER && console.log(`[page] ${m.text()}`));
    const opened = performance.now();
    await page.goto(`${site.origin}/`);
    await harness(page, 'start', {});
    const ui = page.frameLocator('#plugin');
    await harness(page, 'select', ['Tübingen', 'Starry Night']);
    await ui.locator('.layer-style').waitFor();
    return { page, ui, opened };
  }

  before(async () => {
    // A missing browser or missing weights fail the suite: they are part of what it checks.
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
    assert.ok(existsSync(path.join(shared, 'models/vgg16/model.json')), `no weights in ${shared}/models`);
    assert.equal(await isListening(DEFAULT_RUNNER_URL), false, `something listens at ${DEFAULT_RUNNER_URL}: these runs are for a machine without a runner`);
    assert.ok(existsSync(path.join(pluginRoot, 'dist/ui.html')), 'build first (npm run build): dist/ui.html is missing');
    const script = await build({ entryPoints: [path.join(import.meta.dirname, 'harness/harnessPage.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'chrome110', logLevel: 'silent' });
    site = await serveHarness({ page: PAGE, script: script.outputFiles[0].text, uiHtmlFile: path.join(pluginRoot, 'dist/ui.html'), imageDir: path.join(shared, 'images'), modelDir: path.join(shared, 'models/vgg16') });
    // The Preview preset uses layers to block5_conv3: the real blocks 1–3, seeded synthetic blocks 4–5 of the exact shapes.
    const real = await loadRealWeights('vgg16');
    const layers = new Map([...syntheticWeights('vgg16', 'block5_conv3')].map(([name, w]) => [name, real.get(name) ?? w]));
    packageDir = await mkdtemp(path.join(tmpdir(), 'pastiche-weights-package-'));
    await writeWeightsPackage({ vgg16: layers }, packageDir);
    cdn = await serveWeightsCdn(packageDir, { bitsPerSecond: RATE });
    await mkdir(artifacts, { recursive: true });
    userDataDir = await mkdtemp(path.join(tmpdir(), 'pastiche-figma-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...cdn.chromiumArgs],
      viewport: { width: 360, height: 680 },
      deviceScaleFactor: 2,
    });
  });

  after(async () => {
    await context?.close();
    await cdn?.close();
    await site?.close();
    for (const dir of [userDataDir, packageDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens the plugin while the stand-in CDN fails as `fault` says, checks what the Engine section says before a run and the run panel after Stylize, and that the document is unchanged. */
  async function failingWeights(fault: 'down' | 'unpublished' | 'noCors', expect: { before: RegExp; after: RegExp; never?: RegExp }, screenshot: string) {
    cdn.state[fault] = true;
    try {
      const { page, ui } = await openAndSelect();
      const hint = ui.locator('#engine .choice');
      await ui.locator('#engine .choice.choice-problem').waitFor({ timeout: 30_000 });
      const offered = await hint.innerText();
      assert.match(offered, expect.before);
      const snapshot = await harness(page, 'snapshot');
      await ui.locator('button[data-action="stylize"]').click();
      await waitInRun(ui, '#run[data-phase="failed"]', 120_000);
      const told = await runMessage(ui).innerText();
      assert.match(told, expect.after);
      if (expect.never) for (const text of [offered, told]) assert.doesNotMatch(text, expect.never);
      assert.equal(await harness(page, 'snapshot'), snapshot);
      await page.locator('#plugin').screenshot({ path: path.join(artifacts, screenshot) });
      await page.close();
    } finally {
      cdn.state[fault] = false;
    }
  }

  it('says the weights host is down, in plain words, before Stylize and after, and changes nothing', async () => {
    const said = /cdn\.jsdelivr\.net answered HTTP 503 when asked for the model weights\.[\s\S]*Try again later, or start the runner \(npx pastiche serve\) and pair the plugin/;
    await failingWeights('down', { before: said, after: said }, 'error-weights-host-down.png');
  });

  it('says the default weights are not published yet — never to check the connection — and offers the runner or a weights URL', async () => {
    const said = /The model weights are not published at cdn\.jsdelivr\.net yet \(@pastiche\/vgg-weights@[\d.]+\), so the plugin cannot paint by itself\.[\s\S]*Start the runner \(npx pastiche serve\) and pair the plugin: it serves the weights\. Or set a weights URL in Advanced\./;
    await failingWeights('unpublished', { before: said, after: said, never: /internet|connection|HTTP 404/ }, 'error-weights-not-published.png');
  });

  it('tells a host that refuses the plugin’s origin (CORS) from one that is down', async () => {
    const said = /cdn\.jsdelivr\.net answers, but does not let the plugin read the model weights \(no CORS permission for it\)/;
    await failingWeights('noCors', { before: said, after: said, never: /internet/ }, 'error-weights-cors.png');
  });

  it('paints the Preview preset in the plugin from the default weights, and a result layer appears; the figures are written down', async () => {
    const sentBefore = cdn.state.bytesSent;
    const { page, ui, opened } = await openAndSelect();
    await ui.locator('button[data-preset="preview"]').click();
    await ui.locator('button[data-action="stylize"]').click();
    await waitInRun(ui, '#run[data-phase="painting"] .preview-box:not([hidden]) img', 900_000);
    const firstPreview = performance.now() - opened;
    await waitInRun(ui, '#run[data-phase="done"]', 900_000);
    const resultLayer = performance.now() - opened;
    const downloaded = cdn.state.bytesSent - sentBefore;
    const done = await runMessage(ui).innerText();
    assert.match(done, /Added “Pastiche — Tübingen × Starry Night”/);
    const engine = /in the plugin, (WebGL|WebAssembly|CPU)/.exec(done)?.[1];
    assert.ok(engine, done);
    const result = (await harness(page, 'result'))!;
    assert.equal(Math.max(result.image.width, result.image.height), 256, 'the Preview preset paints 256 px');
    assert.equal(result.fill, 'IMAGE');
    await page.locator('#plugin').screenshot({ path: path.join(artifacts, 'done-default-weights.png') });
    await writeFile(path.join(artifacts, 'result-default-weights.png'), Buffer.from((await harness(page, 'resultPng'))!, 'base64'));
    await page.close();

    // A second open in the same profile: what the browser's HTTP cache saves the plugin's opaque origin.
    const sentBeforeSecond = cdn.state.bytesSent;
    const second = await openAndSelect();
    await second.ui.locator('button[data-preset="preview"]').click();
    await second.ui.locator('button[data-action="stylize"]').click();
    await waitInRun(second.ui, '#run[data-phase="painting"]', 600_000);
    const secondModelReady = performance.now() - second.opened;
    await second.ui.locator('button[data-action="cancel"]').click();
    await second.ui.locator('#run[data-phase="cancelled"]').waitFor();
    const secondDownloaded = cdn.state.bytesSent - sentBeforeSecond;
    await second.page.close();

    const figures = {
      preset: 'preview (256 px, the preview schedule: 128 then 256 px, VGG16 to block5_conv3)',
      weightsRateMbitPerSecond: RATE / 1e6,
      weightsBytesFirstOpen: downloaded,
      openToFirstPreviewSeconds: +(firstPreview / 1000).toFixed(1),
      openToResultLayerSeconds: +(resultLayer / 1000).toFixed(1),
      secondOpenBytesDownloaded: secondDownloaded,
      secondOpenToPaintingSeconds: +(secondModelReady / 1000).toFixed(1),
      engine,
    };
    await writeFile(path.join(artifacts, 'figures-default-weights.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`figures: ${JSON.stringify(figures)}`);
    assert.ok(downloaded > 25e6 && downloaded < 35e6, `VGG16 to block5_conv3 in float16 is about 29 MB; sent ${downloaded}`);
  });
});

function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port: Number(port) });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
