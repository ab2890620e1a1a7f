import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { createRunner, type Runner } from '@pastiche/node-runner';
import { buildPhotopeaPlugin } from '../src/build/buildPhotopeaPlugin.ts';
import { photopeaUrl } from '../src/embed/photopeaUrl.ts';
import type { FakePhotopeaHandle } from './fake/hostPage.ts';
import { serveTwoOrigins, type TwoOrigins } from './serveTwoOrigins.ts';
import { parseJobEnvelope } from '@pastiche/web-bridge/wire';
import { readMaskMiddleRow, recordRunnerJobs } from '@pastiche/test/helpers';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const shared = path.resolve(repoRoot, '../shared');
const modelDir = path.join(shared, 'models/vgg16');
const artifacts = path.join(repoRoot, '.artifacts/photopea');
/** Photopea gets this long per script in the test (the page's `timeout` parameter): the timeout test stays short. */
const SCRIPT_TIMEOUT_S = 3;
const cli = path.join(repoRoot, 'packages/node-runner/dist/pastiche.js');
/** In-panel runs here get WebAssembly: headless Chromium's WebGL is SwiftShader, which the engine passes over. */
// No GPU here: headless Chromium offers no WebGPU adapter, and its WebGL is SwiftShader.
const IN_PANEL = 'WebAssembly (WebGPU unavailable (no adapter: blocklisted or no GPU); WebGL drawn on the CPU by SwiftShader)';

type Described = NonNullable<ReturnType<FakePhotopeaHandle['describe']>>;

describe('the Photopea plugin in headless Chromium, against a fake Photopea (real weights, blocks 1–2)', { timeout: 600_000 }, () => {
  let site: TwoOrigins;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let pluginDir: string;
  let photopea: Frame;
  let panel: Frame;
  let runner: Runner | undefined;

  const fake = <R>(fn: (handle: FakePhotopeaHandle, arg: unknown) => R, arg?: unknown) =>
    photopea.evaluate(([source, a]) => new Function('h', 'a', `return (${source})(h, a)`)((globalThis as unknown as { fakePhotopea: unknown }).fakePhotopea, a), [fn.toString(), arg] as const) as Promise<Awaited<R>>;
  const describeDoc = () => fake((h) => h.describe()) as Promise<Described>;
  const shot = (name: string) => photopea.locator('#plugin').screenshot({ path: path.join(artifacts, `${name}.png`) });
  const message = () => panel.locator('.message');
  const setField = async (key: string, value: string) => {
    const input = panel.locator(`[data-field="${key}"]`);
    await input.fill(value);
    await input.blur();
  };

  const embedUrl = () => {
    const params = new URLSearchParams({ photopea: `${site.photopeaOrigin}/photopea/`, weights: `${site.pluginOrigin}/models/vgg16/model.json`, timeout: String(SCRIPT_TIMEOUT_S) });
    return `${site.pluginOrigin}/plugin/embed.html?${params}`;
  };

  /** Opens a page and waits for the fake Photopea inside it and for the panel to have read the layers (or said why not). */
  async function open(url: string, panelUrl = (frameUrl: string) => frameUrl.includes('/plugin/plugin.html')) {
    await page.goto(url);
    photopea = await waitForFrame(page, (f) => f.url().startsWith(`${site.photopeaOrigin}/photopea/`));
    await photopea.waitForFunction(() => 'fakePhotopea' in globalThis);
    await photopea.evaluate(() => (globalThis as unknown as { fakePhotopea: FakePhotopeaHandle }).fakePhotopea.ready);
    panel = await waitForFrame(page, (f) => panelUrl(f.url()));
    await panel.locator('.layers, .empty:not(.empty-reading)').first().waitFor();
  }

  before(async () => {
    // A missing browser or missing weights fail the suite: they are part of what it checks.
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install -y chromium fonts-inter)`);
    assert.ok(existsSync(path.join(modelDir, 'model.json')), `no weights at ${modelDir}`);
    assert.ok(existsSync(path.join(path.dirname(cli), 'photopea/plugin.html')), `build first (npm run build): ${cli} and the panel beside it`);
    pluginDir = await mkdtemp(path.join(tmpdir(), 'pastiche-photopea-'));
    const [, hostBundle] = await Promise.all([
      buildPhotopeaPlugin(pluginDir),
      build({ entryPoints: [path.join(import.meta.dirname, 'fake/hostPage.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome110', logLevel: 'silent' }),
    ]);
    site = await serveTwoOrigins({
      hostHtml: await readFile(path.join(import.meta.dirname, 'fake/hostPage.html'), 'utf8'),
      hostJs: hostBundle.outputFiles[0].text,
      pluginDir,
      modelDir,
      imageDir: path.join(shared, 'images'),
    });
    await mkdir(artifacts, { recursive: true });
    userDataDir = await mkdtemp(path.join(tmpdir(), 'pastiche-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1240, height: 700 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => process.env.DEBUG_BROWSER && console.log(`[${m.location().url.split('/').slice(-2).join('/')}] ${m.text()}`));
  });

  after(async () => {
    await context?.close();
    await site?.close();
    await runner?.close();
    for (const dir of [userDataDir, pluginDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('embed.html opens Photopea with the plugin from its URL configuration; the panel lists the layers', async () => {
    await open(embedUrl());
    const pluginUrl = new URL(panel.url());
    assert.equal(pluginUrl.origin, site.pluginOrigin);
    assert.equal(pluginUrl.searchParams.get('timeout'), String(SCRIPT_TIMEOUT_S));
    const names = await panel.locator('.layer .layer-name').allTextContents();
    assert.deepEqual(names, ['Whole document', 'Title', 'Styles', 'Starry Night', 'The Scream', 'Photo', 'Background']);
    assert.equal(await panel.locator('.section-note').first().textContent(), 'poster.psd · 240 × 160');
    assert.deepEqual(await panel.locator('.layer.is-content .layer-name').allTextContents(), ['Photo'], 'the active layer is the content to start with');
    assert.equal(await panel.locator('.layer[data-name="Starry Night"]').getAttribute('style'), '--depth: 1;');
    assert.equal(await panel.locator('.layer.is-hidden').count(), 3, 'Styles, Starry Night (in a hidden group) and The Scream show as hidden');
    await shot('layers');
    await page.screenshot({ path: path.join(artifacts, 'embed-page.png') });
    // The time of the default (Standard) schedule in the panel, from the engine timing itself once (an upper
    // bound: scales may end sooner); kept for the next session.
    const time = panel.locator('[data-role="time-estimate"]');
    await time.filter({ hasText: /^At most about / }).waitFor({ timeout: 300_000 });
    assert.match(await time.innerText(), /^At most about \d[\d.]* (s|min|h)( \d+ (s|min))? in this panel\.$/);
    const speed = await panel.evaluate(() => JSON.parse(localStorage.getItem('pastiche.photopea.inPanelSpeed')!));
    assert.ok(speed.msPerPixel > 0 && speed.model === 'vgg16', JSON.stringify(speed));
    await shot('estimate');
  });

  it('takes the styles with blend weights and the settings (remembered in localStorage)', async () => {
    await panel.locator('.layer[data-name="Starry Night"] [data-role="style"]').click();
    await panel.locator('.layer[data-name="The Scream"] [data-role="style"]').click();
    await panel.locator('.layer[data-name="The Scream"] .weight-slider').fill('30');
    assert.deepEqual(await panel.locator('.weight-value').allTextContents(), ['63%', '37%']);
    await panel.locator('[data-engine="in-page"]').click();
    await panel.locator('.disclosure').click();
    await setField('size', '8192');
    await panel.locator('[data-role="memory-estimate"]', { hasText: /^8192 px is too large for the memory of this panel: up to \d+ px fits\./ }).waitFor();
    assert.doesNotMatch(await panel.locator('#quality').innerText(), /in this panel\./, 'no time for a run the panel cannot hold');
    assert.equal(await panel.locator('[data-action="stylize"]').isDisabled(), true);
    await shot('estimate-too-large');
    await setField('size', '48');
    await setField('evaluations', '3');
    await setField('seed', '1');
    await setField('styleLayers', 'block1_conv2, block2_conv2');
    await setField('contentLayers', 'block2_conv2');
    await setField('scales', 'x');
    assert.match((await panel.locator('[data-field="scales"] ~ .field-problem').textContent())!, /expected an integer from 1 to 8/);
    assert.equal(await panel.locator('[data-action="stylize"]').isDisabled(), true, 'an invalid field blocks Stylize');
    await shot('settings-invalid');
    await setField('scales', '1');
    assert.equal(await panel.locator('[data-action="stylize"]').isDisabled(), false);
    const stored = await panel.evaluate(() => JSON.parse(localStorage.getItem('pastiche.photopea.settings')!));
    assert.deepEqual(stored.advanced, { size: 48, evaluations: 3, scales: 1, seed: 1, styleLayers: ['block1_conv2', 'block2_conv2'], contentLayers: ['block2_conv2'] });
    assert.equal(stored.engine, 'in-page');
    await shot('settings');
  });

  it('stylizes in the panel: a new layer right above the content, at its place and size; nothing else changes', async () => {
    const before = await describeDoc();
    await panel.locator('[data-action="stylize"]').click();
    await panel.locator('.message-done').waitFor({ timeout: 180_000 });
    const after = await describeDoc();
    const name = 'Pastiche — Photo × Starry Night 63% + The Scream 37%';
    assert.match((await message().textContent())!, new RegExp(`^Added “${name.replace(/[+]/g, '\\+')}”Painted in [\\d.]+ s in this panel, ${IN_PANEL.replace(/[()]/g, '\\$&')}\\.$`));
    // The result: a PNG the fake decoded, as big as the painting (48 px on the long side), scaled onto the photo.
    const placed = await fake((h) => h.placed());
    assert.deepEqual(placed.map(({ mime, width, height }) => ({ mime, width, height })), [{ mime: 'image/png', width: 48, height: 36 }]);
    assert.deepEqual(after.layers.map((l) => (l as { name: string }).name), ['Title', 'Styles', 'The Scream', name, 'Photo', 'Background']);
    const added = after.layers[3] as { bounds: number[]; visible: boolean; pixels: string };
    assert.deepEqual(added.bounds, [16, 24, 144, 120], 'at the photo\'s place and size');
    assert.equal(added.visible, true);
    assert.match(added.pixels, /^48x36:/);
    assert.deepEqual({ ...after, layers: after.layers.filter((_, i) => i !== 3), active: null }, { ...before, active: null }, 'every other layer as it was');
    assert.deepEqual(after.active, [4], 'the layer active before (Photo, now one lower) is active again');
    const events = await fake((h) => h.events());
    assert.ok(events.filter((e) => e.type === 'export').length === 3, 'content and two styles exported');
    await shot('done');
    await page.screenshot({ path: path.join(artifacts, 'embed-page-done.png') });
    assert.deepEqual(await panel.locator('.layer .layer-name').allTextContents(), ['Whole document', 'Title', 'Styles', 'Starry Night', 'The Scream', name, 'Photo', 'Background'], 'the list shows the new layer');
  });

  it('shows the preview, evaluations and time left (the loss in its tooltip) while painting; Cancel leaves the document unchanged', async () => {
    await setField('evaluations', '400');
    await setField('size', '64');
    const before = await describeDoc();
    await panel.locator('[data-action="stylize"]').click();
    await panel.locator('.preview-box:not([hidden]) img.preview').waitFor({ timeout: 120_000 });
    const lines = await panel.locator('.run-line:not([hidden])').allTextContents();
    assert.match(lines[0], /^Evaluation \d+ of 400 · (about .+ left|finishing)$/);
    assert.match(await panel.locator('.run-line-strong').getAttribute('title') ?? '', /^\d+ × \d+ px · loss [\d.e+]+$/);
    assert.equal(lines[1], `In this panel, ${IN_PANEL}`);
    await shot('painting');
    await panel.locator('[data-action="cancel"]').click();
    await panel.locator('.message-cancelled').waitFor();
    assert.equal(await message().textContent(), 'Cancelled.The document is unchanged.');
    assert.deepEqual(await describeDoc(), before);
    await shot('cancelled');
  });

  it('says so clearly when Photopea answers a script with an error, and changes nothing', async () => {
    await setField('evaluations', '3');
    await setField('size', '48');
    const before = await describeDoc();
    await fake((h) => h.setMode('fail-export'));
    await panel.locator('[data-action="stylize"]').click();
    await panel.locator('.message-failed').waitFor();
    assert.equal(await message().locator('strong').textContent(), 'Photopea could not export a layer: Photopea ran out of memory while exporting');
    assert.deepEqual(await describeDoc(), before, 'every eye the export touched is back');
    await shot('error-photopea');
    await fake((h) => h.setMode('normal'));
  });

  it('times out with a clear error when Photopea does not answer, and recovers when it does', async () => {
    await fake((h) => h.setMode('silent'));
    await panel.locator('[data-action="refresh"]').click();
    await panel.locator('.empty-failed').waitFor({ timeout: (SCRIPT_TIMEOUT_S + 5) * 1000 });
    assert.equal(await panel.locator('.empty-failed strong').textContent(), `Photopea did not answer (“read the layers”, ${SCRIPT_TIMEOUT_S} s). Is this panel open inside Photopea?`);
    assert.equal(await panel.locator('[data-action="stylize"]').isDisabled(), true);
    await shot('error-timeout');
    await fake((h) => h.setMode('normal'));
    await panel.locator('[data-action="refresh"]').click();
    await panel.locator('.layers').waitFor();
    assert.deepEqual(await panel.locator('.layer.is-style .layer-name').allTextContents(), ['Starry Night', 'The Scream'], 'the roles survive');
  });

  it('remembers the settings in a new session', async () => {
    await open(embedUrl());
    await panel.locator('.disclosure').click();
    assert.equal(await panel.locator('[data-field="size"]').inputValue(), '48');
    assert.equal(await panel.locator('[data-field="styleLayers"]').inputValue(), 'block1_conv2, block2_conv2');
    assert.equal(await panel.locator('[data-engine="in-page"]').getAttribute('aria-checked'), 'true');
    // The engine's speed too: the estimate is there at once, with no second timing.
    assert.match(await panel.locator('[data-role="time-estimate"]').innerText(), /^About [\d.]+ s in this panel\.$/);
  });

  it('says when no document is open', async () => {
    const config = photopeaUrl({ plugins: [{ name: 'Pastiche', url: `${site.pluginOrigin}/plugin/plugin.html?timeout=${SCRIPT_TIMEOUT_S}`, width: 320, height: 640 }] }, `${site.photopeaOrigin}/photopea/?doc=none`);
    await open(config.replace('/?doc=none/#', '/?doc=none#'));
    assert.equal(await panel.locator('.empty strong').textContent(), 'No document open');
    await shot('no-document');
  });

  it('paints on the runner once paired, and adds the layer the same way', { timeout: 300_000 }, async () => {
    runner = await createRunner({ port: 0, backend: 'wasm', weights: modelDir, configDir: await mkdtemp(path.join(tmpdir(), 'pastiche-runner-')), stateDir: await mkdtemp(path.join(tmpdir(), 'pastiche-state-')), allowOrigins: [site.pluginOrigin] });
    await open(embedUrl());
    await panel.locator('.disclosure').click();
    await setField('runnerUrl', runner.url);
    await panel.locator('.pairing:not([hidden])').waitFor({ timeout: 15_000 });
    await shot('runner-not-paired');
    await panel.locator('.pairing input').fill(runner.token);
    await panel.locator('.pairing .button').click();
    await panel.locator('.runner-status', { hasText: 'Runner ready · wasm' }).waitFor({ timeout: 15_000 });
    await panel.locator('[data-role="time-estimate"]', { hasText: /^(At most about|About) \d.* in this panel, \d.* on the runner\.$/ }).waitFor();
    await panel.locator('[data-engine="runner"]').click();
    await panel.locator('[data-role="time-estimate"]').scrollIntoViewIfNeeded();
    await shot('runner-paired');
    await panel.locator('.layer[data-name="Starry Night"] [data-role="style"]').click(); // a new session: the roles start over
    const before = await describeDoc();
    await panel.locator('[data-action="stylize"]').click();
    await panel.locator('.message-done').waitFor({ timeout: 240_000 });
    assert.match((await message().textContent())!, /Added “Pastiche — Photo × Starry Night”Painted in .* on the runner at 127\.0\.0\.1:\d+, wasm\./);
    const after = await describeDoc();
    assert.equal(after.layers.length, before.layers.length + 1);
    assert.deepEqual((after.layers[after.layers.findIndex((l) => (l as { name: string }).name === 'Photo') - 1] as { name: string; bounds: number[] }).bounds, [16, 24, 144, 120]);
    await shot('runner-done');
  });

  it('says the runner is not reachable, in plain words, once it is gone, and changes nothing', async () => {
    await setField('runnerUrl', `http://127.0.0.1:${await freePort()}`);
    await panel.locator('.runner-status', { hasText: 'Runner not running' }).waitFor({ timeout: 15_000 });
    const before = await describeDoc();
    await panel.locator('[data-action="stylize"]').click();
    await panel.locator('.message-failed').waitFor();
    assert.match((await message().textContent())!, /The runner is not reachable at 127\.0\.0\.1:\d+\./);
    assert.deepEqual(await describeDoc(), before);
    await shot('error-runner-down');
    // Back at the runner's address, the panel asks for the token again: it remembers one address's token.
    await setField('runnerUrl', runner!.url);
    await panel.locator('.pairing:not([hidden])').waitFor({ timeout: 15_000 });
  });

  it('says which weights source failed and how (404), before Stylize', async () => {
    await panel.locator('[data-engine="in-page"]').click();
    // Unpaired (as the runner test before left it): the panel's weights come from the URL, not the runner.
    await setField('weightsUrl', `${site.pluginOrigin}/models/missing/model.json`);
    const hint = panel.locator('.choice.choice-problem');
    await hint.waitFor({ timeout: 30_000 });
    assert.match(await hint.innerText(), /^There are no model weights at http:\/\/[\d.:]+\/models\/missing\/model\.json \(HTTP 404\)\. Check the weights URL in Advanced, or start the runner \(npx pastiche serve\) and pair this panel: it serves the weights\.$/);
    await shot('error-weights-404');
    await setField('weightsUrl', '');
    await panel.locator('.pairing input').fill(runner!.token);
    await panel.locator('.pairing .button').click();
    await panel.locator('.runner-status', { hasText: 'Runner ready · wasm' }).waitFor({ timeout: 15_000 });
    await panel.locator('[data-engine="runner"]').click();
  });

  it('loads the panel from a running pastiche serve (the address it prints) and paints through it, no --allow-origin', { timeout: 300_000 }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), '--weights', modelDir, '--backend', 'wasm', '--quiet'], { env: { ...process.env, PASTICHE_CONFIG_DIR: await mkdtemp(path.join(tmpdir(), 'pastiche-serve-')), PASTICHE_STATE_DIR: await mkdtemp(path.join(tmpdir(), 'pastiche-state-')) } });
    try {
      let printed = '';
      child.stdout.on('data', (d) => (printed += d));
      for (let i = 0; !/Photopea with Pastiche: \S+\n/.test(printed); i++) {
        assert.ok(i < 600 && child.exitCode === null, `pastiche serve did not start:\n${printed}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const printedUrl = /Photopea with Pastiche: (\S+)/.exec(printed)![1];
      const token = /pairing token: (\S+)/.exec(printed)![1];
      const runnerOrigin = `http://127.0.0.1:${port}`;
      // The printed address, with the fake Photopea standing in for https://www.photopea.com.
      await open(printedUrl.replace('https://www.photopea.com/', `${site.photopeaOrigin}/photopea/`), (frameUrl) => frameUrl.startsWith(`${runnerOrigin}/photopea/plugin.html`));
      await panel.locator('.pairing:not([hidden])').waitFor({ timeout: 15_000 });
      await panel.locator('.pairing input').fill(token);
      await panel.locator('.pairing .button').click();
      await panel.locator('.runner-status', { hasText: 'Runner ready · wasm' }).waitFor({ timeout: 15_000 });
      await panel.locator('[data-engine="runner"]').click();
      await panel.locator('.disclosure').click();
      await setField('size', '48');
      await setField('evaluations', '3');
      await setField('styleLayers', 'block1_conv2, block2_conv2');
      await panel.locator('.layer[data-name="The Scream"] [data-role="style"]').click();
      const before = await describeDoc();
      await panel.locator('[data-action="stylize"]').click();
      await panel.locator('.message-done').waitFor({ timeout: 240_000 });
      assert.match((await message().textContent())!, new RegExp(`Added “Pastiche — Photo × .*”Painted in .* on the runner at 127\\.0\\.0\\.1:${port}, wasm\\.`));
      assert.equal((await describeDoc()).layers.length, before.layers.length + 1);
      await shot('serve-done');
    } finally {
      child.kill('SIGTERM');
    }
  });

  /** Opens the panel set for a small run (48 px, 3 evaluations, blocks 1–2) on the runner behind `runnerUrl`, paired. */
  async function openSmallRunOnRunner(runnerUrl: string) {
    await open(embedUrl());
    await panel.locator('.disclosure').click();
    await setField('runnerUrl', runnerUrl);
    await setField('size', '48');
    await setField('evaluations', '3');
    await setField('styleLayers', 'block1_conv2, block2_conv2');
    await panel.locator('.pairing:not([hidden])').waitFor({ timeout: 15_000 });
    await panel.locator('.pairing input').fill(runner!.token);
    await panel.locator('.pairing .button').click();
    await panel.locator('.runner-status', { hasText: 'Runner ready · wasm' }).waitFor({ timeout: 15_000 });
    await panel.locator('[data-role="time-estimate"]', { hasText: /^(At most about|About) \d.* in this panel, \d.* on the runner\.$/ }).waitFor();
    await panel.locator('[data-engine="runner"]').click();
    await panel.locator('[data-role="time-estimate"]').scrollIntoViewIfNeeded();
    await shot('runner-paired');
    await panel.locator('.disclosure').click();
  }

  it('paints a style only in the selection (a layer or a selection off the content is refused): the runner gets its mask at the content’s size, and the document keeps no temporary layer', { timeout: 300_000 }, async () => {
    runner ??= await createRunner({ port: 0, backend: 'wasm', weights: modelDir, configDir: await mkdtemp(path.join(tmpdir(), 'pastiche-runner-')), stateDir: await mkdtemp(path.join(tmpdir(), 'pastiche-state-')), allowOrigins: [site.pluginOrigin] });
    const recorder = await recordRunnerJobs(runner.url);
    try {
      await openSmallRunOnRunner(recorder.url);
      await panel.locator('.layer[data-name="Starry Night"] [data-role="style"]').click();
      await panel.locator('.layer[data-name="The Scream"] [data-role="style"]').click();
      const starryRegion = panel.locator('.layer[data-name="Starry Night"] [data-role="region"]');
      assert.equal(await starryRegion.inputValue(), '', 'a style paints everywhere to start with');
      const before = await describeDoc();

      // A layer as the region: where it shows. The title bar lies below the photo, so it would paint nothing.
      await starryRegion.selectOption({ label: 'Title' });
      await panel.locator('[data-action="stylize"]').click();
      await panel.locator('.message-failed').waitFor();
      assert.equal(await message().textContent(), 'The layer “Title”, the region of “Starry Night”, does not overlap the content: the style would paint nothing.Choose a region over the content, or Everywhere.');
      assert.deepEqual(await describeDoc(), before);
      await starryRegion.selectOption('selection');

      // No selection, then one that misses the photo: each a clear failure, the document as it was.
      await fake((h) => h.select(null));
      await panel.locator('[data-action="stylize"]').click();
      await panel.locator('.message-failed').waitFor();
      assert.equal(await message().textContent(), 'Nothing is selected in Photopea.Select an area in Photopea, or set the style’s region to Everywhere.');
      await fake((h) => h.select([150, 0, 240, 20]));
      await panel.locator('[data-action="stylize"]').click();
      await panel.locator('.message-failed', { hasText: 'does not overlap' }).waitFor();
      assert.equal(await message().textContent(), 'The selection, the region of “Starry Night”, does not overlap the content: the style would paint nothing.Choose a region over the content, or Everywhere.');
      assert.deepEqual(await describeDoc(), before, 'the temporary layer is gone and every eye is back');
      assert.equal(recorder.jobs.length, 0, 'nothing was sent to paint');

      // The left half of the photo (16–144 × 24–120).
      await fake((h) => h.select([16, 24, 80, 120]));
      await panel.locator('[data-action="stylize"]').click();
      await panel.locator('.message-done').waitFor({ timeout: 240_000 });
      assert.match((await message().textContent())!, /Added “Pastiche — Photo × Starry Night 50% \+ The Scream 50%”Painted in .* on the runner at 127\.0\.0\.1:\d+, wasm\./);
      const after = await describeDoc();
      assert.deepEqual(after.layers.map((l) => (l as { name: string }).name), ['Title', 'Styles', 'The Scream', 'Pastiche — Photo × Starry Night 50% + The Scream 50%', 'Photo', 'Background'], 'the result and nothing else was added');
      await shot('region-selection');

      assert.equal(recorder.jobs.length, 1);
      const job = parseJobEnvelope(recorder.jobs[0]);
      assert.equal(job.styleMasks[1], undefined, 'The Scream paints everywhere');
      const mask = await readMaskMiddleRow(page, job.styleMasks[0]!);
      assert.deepEqual([mask.width, mask.height], [48, 36], 'the mask has the content’s size');
      assert.deepEqual(mask.row.slice(0, 23), Array(23).fill(255), 'white in the selected left half');
      assert.deepEqual(mask.row.slice(25), Array(23).fill(0), 'black in the right half');
    } finally {
      await recorder.close();
    }
  });

  it('paints with a style preset beside a style layer: its row with the credit and the blend, the runner gets it as a style image, the layer is named after it', { timeout: 300_000 }, async () => {
    runner ??= await createRunner({ port: 0, backend: 'wasm', weights: modelDir, configDir: await mkdtemp(path.join(tmpdir(), 'pastiche-runner-')), stateDir: await mkdtemp(path.join(tmpdir(), 'pastiche-state-')), allowOrigins: [site.pluginOrigin] });
    const recorder = await recordRunnerJobs(runner.url);
    try {
      await openSmallRunOnRunner(recorder.url);
      await panel.locator('.layer[data-name="The Scream"] [data-role="style"]').click();

      assert.equal(await panel.locator('button[data-style-preset]').count(), 4);
      await panel.locator('button[data-style-preset="woman-with-hat"]').click();
      const row = panel.locator('.layer-preset');
      await row.waitFor();
      assert.equal(await row.locator('.layer-name').textContent(), 'Woman with a Hat');
      assert.match((await panel.locator('#presets').textContent())!, /Woman with a Hat, Henri Matisse \(1905\), public domain/);
      await row.locator('.weight-slider').fill('20');
      assert.deepEqual(await panel.locator('.weight-value').allTextContents(), ['71%', '29%']);
      await shot('preset');

      await panel.locator('[data-action="stylize"]').click();
      await panel.locator('.message-done').waitFor({ timeout: 240_000 });
      assert.match((await message().textContent())!, /Added “Pastiche — Photo × The Scream 71% \+ Woman with a Hat 29%”/);
      const job = parseJobEnvelope(recorder.jobs[0]);
      assert.deepEqual((job.header as { styles: Array<{ weight?: number }> }).styles.map((st) => st.weight), [50, 20], 'the layer, then the preset, with their weights');
      const size = await page.evaluate(async (bytes) => {
        const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
        return [bitmap.width, bitmap.height];
      }, [...job.styles[1]]);
      assert.deepEqual(size, [35, 48], 'Woman with a Hat (473×640) exported at the run’s style side');
    } finally {
      await recorder.close();
    }
  });

  it('paints two layers marked Content in one click ("2 of 2"): one result layer above each, one runner job each', { timeout: 400_000 }, async () => {
    runner ??= await createRunner({ port: 0, backend: 'wasm', weights: modelDir, configDir: await mkdtemp(path.join(tmpdir(), 'pastiche-runner-')), allowOrigins: [site.pluginOrigin] });
    const recorder = await recordRunnerJobs(runner.url);
    try {
      await openSmallRunOnRunner(recorder.url);
      await panel.locator('.layer[data-name="Photo"] [data-role="content"]').click();
      await panel.locator('.layer[data-name="The Scream"] [data-role="style"]').click();
      await panel.locator('.layer[data-name="Background"] [data-role="more-content"]').click();
      assert.equal(await panel.locator('.layer[data-name="Background"] [data-role="more-content"]').getAttribute('aria-pressed'), 'true');
      await shot('batch');
      const before = await fake((h) => h.placed().length);
      await panel.locator('[data-action="stylize"]').click();
      await panel.locator('.run-line-strong', { hasText: /^2 of 2 \(Background\) · / }).waitFor({ timeout: 240_000 });
      await panel.locator('.message-done').waitFor({ timeout: 240_000 });
      assert.match((await message().textContent())!, /Added 2 layers.*Pastiche — Photo × The Scream, Pastiche — Background × The Scream\./);
      assert.equal((await fake((h) => h.placed().length)) - before, 2, 'two result layers placed');
      const names = (await describeDoc()).layers.map((l) => (l as { name: string }).name);
      assert.ok(names.indexOf('Pastiche — Photo × The Scream') === names.indexOf('Photo') - 1, `the first result right above Photo: ${names}`);
      assert.ok(names.indexOf('Pastiche — Background × The Scream') === names.indexOf('Background') - 1, `the second right above Background: ${names}`);
      assert.equal(recorder.jobs.length, 2, 'one job per content');
    } finally {
      await recorder.close();
    }
  });

  it('paints a seamless texture from a style layer alone (no content, Pattern on): the runner gets the core\'s texture request at the size typed; the layer goes at the top left', { timeout: 300_000 }, async () => {
    runner ??= await createRunner({ port: 0, backend: 'wasm', weights: modelDir, configDir: await mkdtemp(path.join(tmpdir(), 'pastiche-runner-')), allowOrigins: [site.pluginOrigin] });
    const recorder = await recordRunnerJobs(runner.url);
    try {
      await openSmallRunOnRunner(recorder.url);
      const stylize = panel.locator('[data-action="stylize"]');
      await panel.locator('.layer[data-name="The Scream"] [data-role="style"]').click();
      // Only style layers: the content made a style, then taken out, leaves no content.
      await panel.locator('.layer[data-name="Photo"] [data-role="style"]').click();
      await panel.locator('.layer[data-name="Photo"] [data-role="style"]').click();
      assert.equal(await panel.locator('.layer.is-content').count(), 0);
      assert.match((await panel.locator('.texture-note').textContent())!, /Or turn on Pattern \(in Advanced\) to paint a seamless texture from the styles alone\./);
      assert.equal(await stylize.isDisabled(), true, 'no content and no Pattern: nothing to paint');

      await panel.locator('.disclosure').click();
      await panel.locator('[data-field="seamless"]').check();
      await panel.locator('.disclosure').click();
      const size = panel.locator('[data-field="texture"]');
      assert.equal(await size.getAttribute('placeholder'), '48×48', 'empty: the run\'s size, square');
      await size.fill('10x40');
      assert.equal(await panel.locator('.texture-note .field-problem').textContent(), 'Texture size: each side must be 16 to 8192 px, got 10×40.');
      assert.equal(await stylize.isDisabled(), true);
      await size.fill('64x32');
      assert.equal(await stylize.isDisabled(), false);
      await shot('texture');

      await stylize.click();
      await panel.locator('.message-done').waitFor({ timeout: 240_000 });
      assert.match((await message().textContent())!, /^Added “Pastiche — Texture × The Scream”/);
      assert.equal(recorder.jobs.length, 1);
      const job = parseJobEnvelope(recorder.jobs[0]);
      const options = (job.header as { options: Record<string, unknown> }).options;
      assert.deepEqual([options.seamless, options.contentWeight, options.init, options.size], [true, 0, 'random', 64], 'textureRequest\'s options, at the texture\'s longest side');
      const canvas = await page.evaluate(async (bytes) => {
        const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
        const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        return { size: [bitmap.width, bitmap.height], pixel: [...context.getImageData(5, 5, 1, 1).data] };
      }, [...job.content]);
      assert.deepEqual(canvas, { size: [64, 32], pixel: [128, 128, 128, 255] }, 'the texture\'s flat grey canvas as the content');
      const added = (await describeDoc()).layers[0] as { name: string; bounds: number[] };
      assert.deepEqual([added.name, added.bounds], ['Pastiche — Texture × The Scream', [0, 0, 64, 32]], 'on top, at the top left, at its own size');
      await panel.locator('.disclosure').click();
      await panel.locator('[data-field="seamless"]').uncheck(); // the next tests paint contents
    } finally {
      await recorder.close();
    }
  });

  it('Refine on a result layer: its settings come back and the run starts from its pixels; the refined layer keeps its settings', { timeout: 400_000 }, async () => {
    runner ??= await createRunner({ port: 0, backend: 'wasm', weights: modelDir, configDir: await mkdtemp(path.join(tmpdir(), 'pastiche-runner-')), allowOrigins: [site.pluginOrigin] });
    const recorder = await recordRunnerJobs(runner.url);
    const name = 'Pastiche — Photo × The Scream';
    try {
      await openSmallRunOnRunner(recorder.url);
      await panel.locator('.disclosure').click();
      await setField('seed', '5');
      await panel.locator('.layer[data-name="The Scream"] [data-role="style"]').click();
      await panel.locator('[data-action="stylize"]').click();
      await panel.locator('.message-done').waitFor({ timeout: 240_000 });
      assert.equal(await panel.locator('[data-action="refine"]').count(), 0, 'the active layer, Photo, is no result');

      // Settings changed since; then the user selects the result in Photopea.
      await setField('seed', '9');
      await fake((h, layer) => h.activate(layer as string), name);
      await panel.locator('[data-action="refresh"]').click();
      await panel.locator('[data-action="refine"]').click();
      assert.equal(await panel.locator('[data-field="seed"]').inputValue(), '5', 'the result\'s settings came back');
      assert.equal(await panel.locator('.refine-note').textContent(), `Refining “${name}”: the run starts from its pixels, with its settings. Start from the content`);
      assert.deepEqual(await panel.locator('.layer.is-content .layer-name').allTextContents(), ['Photo']);
      await shot('refine');

      await panel.locator('[data-action="stylize"]').click();
      await panel.locator('.message-done').waitFor({ timeout: 240_000 });
      assert.equal(recorder.jobs.length, 2);
      const [first, refined] = recorder.jobs.map((body) => parseJobEnvelope(body));
      const options = (refined.header as { options: Record<string, unknown> }).options;
      assert.deepEqual([options.init, options.seed], ['image', 5]);
      assert.ok(refined.initImage, 'the result\'s pixels travel as the init image');
      const sizes = await page.evaluate(async (images) => Promise.all(images.map(async (bytes) => {
        const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
        return [bitmap.width, bitmap.height];
      })), [[...first.content], [...refined.initImage!]]);
      assert.deepEqual(sizes[1], sizes[0], 'the result taken where the content lies, at the content\'s size');
      assert.notDeepEqual([...refined.initImage!], [...refined.content], 'the result, not the content');

      const names = (await describeDoc()).layers.map((l) => (l as { name: string }).name);
      assert.equal(names.filter((n) => n === name).length, 2, `the refined result is a new layer: ${names}`);
      const records = await panel.evaluate(() => JSON.parse(localStorage.getItem('pastiche.photopea.results')!));
      assert.deepEqual([records[0].layer, records[0].settings.advanced.seed, records[0].roles.content.name], [name, 5, 'Photo'], 'the refined layer keeps its settings');
      assert.match((await panel.locator('.refine-note').textContent())!, /^Refining “Pastiche — Photo × The Scream”/, 'and can be refined again');
    } finally {
      await recorder.close();
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForFrame(page: Page, match: (frame: Frame) => boolean): Promise<Frame> {
  for (let i = 0; i < 200; i++) {
    const frame = page.frames().find(match);
    if (frame) return frame;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the frame never loaded');
}
