import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { createRunner, type Runner } from '@pastiche/node-runner';
import type { Harness } from './harness/harnessPage.ts';
import { FIGMA_THEMES, type FigmaThemeName } from './harness/figmaThemes.ts';
import { serveHarness } from './harness/serveHarness.ts';
import { shootInThemes } from './harness/shootInThemes.ts';
import { readMaskMiddleRow, recordRunnerJobs } from '@pastiche/test/helpers';
import { parseJobEnvelope } from '@pastiche/web-bridge/wire';

const CHROMIUM = '/usr/bin/chromium';
const pluginRoot = path.resolve(import.meta.dirname, '../..');
const repoRoot = path.resolve(pluginRoot, '../..');
const shared = path.resolve(repoRoot, '../shared');
const modelDir = path.join(shared, 'models/vgg16');
const artifacts = path.join(repoRoot, '.artifacts/figma-plugin');

/**
 * The in-page engine's speed as an earlier session left it in clientStorage, seeded in every test but the one
 * that times the engine: timing it runs the WebAssembly worker for seconds, during which pointer clicks do not
 * always reach the panel here (see the paint test). About WebAssembly's speed in this Chromium.
 */
const STORED_SPEED = { msPerPixel: 0.03, model: 'vgg16', throughLayer: 'block5_conv3' };

/** Blocks 1–3 are all the offline weights have; small sizes and budgets keep each run to seconds. */
const SHALLOW = { size: '48', scales: '1', evaluations: '6', styleLayers: 'block1_conv2, block2_conv2, block3_conv3', seed: '1' };

const PAGE = `<!doctype html><meta charset="utf-8"><title>Figma (test harness)</title>
<style>body { margin: 0; background: #e5e5e5; } iframe { display: block; border: 0; background: #fff; margin: 16px; box-shadow: 0 2px 14px rgb(0 0 0 / 0.15), 0 0 0 0.5px rgb(0 0 0 / 0.2); border-radius: 2px; }</style>
<iframe id="plugin" sandbox="allow-scripts" title="Pastiche"></iframe>
<script src="/harness.js"></script>`;

describe('the Figma plugin in headless Chromium: fake Figma host, real UI, real engines', { timeout: 900_000 }, () => {
  let site: Awaited<ReturnType<typeof serveHarness>>;
  let context: BrowserContext;
  let userDataDir: string;
  let runner: Runner | undefined;
  let runnerConfigDir: string;

  /**
   * A fresh page with the plugin started (clientStorage seeded with `storage`, and STORED_SPEED unless it says
   * `inPageSpeed: null`; Figma's theme tokens if named), the in-page engine timed if it had to be.
   */
  async function openPlugin(storage: Record<string, unknown> = {}, theme?: FigmaThemeName): Promise<{ page: Page; ui: FrameLocator }> {
    const page = await context.newPage();
    page.on('console', (m) => process.env.DEBUG_BROWSER && console.log(`[page] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
    await page.goto(`${site.origin}/`);
    await harness(page, 'start', { inPageSpeed: STORED_SPEED, ...storage }, theme);
    const ui = page.frameLocator('#plugin');
    await ui.locator('#run button[data-action="stylize"]').waitFor();
    // The bundled Inter swaps in as it loads and moves the rows: clicks must land where the layout will stay.
    await ui.locator('body').evaluate(() => document.fonts.ready.then(() => undefined));
    // Started, then the in-page engine timed where nothing was stored (measureInPageSpeed, in the worker).
    await ui.locator('#run').filter({ hasText: 'Starting…' }).waitFor({ state: 'hidden' });
    await ui.locator('[data-role="time-estimate"]').filter({ hasText: 'Timing' }).waitFor({ state: 'hidden', timeout: 300_000 });
    return { page, ui };
  }
  const harness = <K extends keyof Harness>(page: Page, name: K, ...args: unknown[]) =>
    page.evaluate(([n, a]) => (window as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[n as string](...(a as unknown[])), [name, args] as const) as Promise<Awaited<ReturnType<Harness[K] extends (...a: never[]) => unknown ? Harness[K] : never>>>;
  const shot = (page: Page, name: string) => shootInThemes(page, artifacts, name);
  /**
   * Clicks `target` and waits for `effect`. Twice in CI, under load, a click that Playwright reported as done
   * had no effect (Advanced stayed folded; "Use N px" left the size), most likely while the worker still timed
   * the engine (openPlugin now waits for that); not reproduced here, alone or beside busy loops. So a click
   * without its effect within 5 s is said in the log with what the panel showed, and tried again, up to three
   * times: a control that never responds still fails.
   */
  async function clickFor(ui: FrameLocator, target: Locator, effect: Locator, what: string) {
    for (let attempt = 1; ; attempt++) {
      await target.click();
      try {
        return await effect.waitFor({ timeout: 5_000 });
      } catch (error) {
        if (attempt === 3) throw error;
        console.log(`# ${what}: no effect 5 s after click ${attempt}; the panel said: ${JSON.stringify(await ui.locator('body').innerText())}`);
      }
    }
  }
  /** Clicks Stylize until the run leaves idle (clickFor). */
  const startStylize = (ui: FrameLocator) => clickFor(ui, ui.locator('button[data-action="stylize"]'), ui.locator('#run:not([data-phase="idle"])'), 'Stylize');
  /**
   * Waits for the run's end and asserts it is done. A run that failed or was cancelled fails the test at once
   * with what the panel said, and one that has not ended in 300 s with what it shows: once in CI a texture run
   * on the runner never reached done, and the test waited 300 s with nothing to read.
   */
  async function untilRunDone(ui: FrameLocator) {
    const run = ui.locator('#run');
    try {
      await ui.locator(['done', 'failed', 'cancelled'].map((phase) => `#run[data-phase="${phase}"]`).join(', ')).waitFor({ timeout: 300_000 });
    } catch (error) {
      throw new Error(`the run did not end in 300 s; phase ${await run.getAttribute('data-phase')}, the panel said: ${JSON.stringify(await run.innerText())}`, { cause: error });
    }
    const phase = await run.getAttribute('data-phase');
    assert.equal(phase, 'done', `the run ended ${phase}; the panel said: ${JSON.stringify(await run.innerText())}`);
  }
  async function setAdvanced(ui: FrameLocator, fields: Record<string, string>) {
    const open = ui.locator('details.advanced[open] .fields');
    if (!(await open.isVisible())) await clickFor(ui, ui.locator('details.advanced summary'), open, 'opening Advanced');
    for (const [field, value] of Object.entries(fields)) await ui.locator(`[data-field="${field}"]`).fill(value);
  }
  const runMessage = (ui: FrameLocator) => ui.locator('#run .message');

  before(async () => {
    // A missing browser or missing weights fail the suite: they are part of what it checks.
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install -y chromium fonts-inter)`);
    assert.ok(existsSync(path.join(modelDir, 'model.json')), `no weights at ${modelDir}`);
    assert.ok(existsSync(path.join(pluginRoot, 'dist/ui.html')), 'build first (npm run build): dist/ui.html is missing');
    const script = await build({ entryPoints: [path.join(import.meta.dirname, 'harness/harnessPage.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'chrome110', logLevel: 'silent' });
    site = await serveHarness({ page: PAGE.replace('<script src', '<script type="module" src'), script: script.outputFiles[0].text, uiHtmlFile: path.join(pluginRoot, 'dist/ui.html'), imageDir: path.join(shared, 'images'), modelDir });
    await mkdir(artifacts, { recursive: true });
    userDataDir = await mkdtemp(path.join(tmpdir(), 'pastiche-figma-chromium-'));
    runnerConfigDir = await mkdtemp(path.join(tmpdir(), 'pastiche-figma-runner-'));
    // playwright takes the fresh profile folder as a persistent context (it refuses --user-data-dir in args).
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 360, height: 680 },
      deviceScaleFactor: 2,
    });
  });

  after(async () => {
    await context?.close();
    await runner?.close();
    await site?.close();
    for (const dir of [userDataDir, runnerConfigDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows what to do with nothing selected, then the content and its styles', async () => {
    const { page, ui } = await openPlugin();
    await ui.locator('.empty').waitFor();
    assert.match(await ui.locator('#layers').innerText(), /Select layers to begin/);
    assert.equal(await ui.locator('button[data-action="stylize"]').isDisabled(), true);
    // Inter comes with the plugin (an @font-face of the bundle, loaded), not from the system's fonts.
    const inter = await ui.locator('html').evaluate(async () => {
      await Promise.all(['400', '500', '600'].map((weight) => document.fonts.load(`${weight} 11px Inter`)));
      const faces: string[] = [];
      document.fonts.forEach((f) => void (f.family.replaceAll('"', '') === 'Inter' && faces.push(`${f.weight} ${f.status}`)));
      return faces;
    });
    assert.deepEqual(inter.sort(), ['400 loaded', '500 loaded', '600 loaded']);
    await shot(page, 'empty');

    await harness(page, 'select', ['Tübingen']);
    await ui.locator('.layer-content').waitFor();
    assert.match(await ui.locator('#run').innerText(), /Add a style/);

    await harness(page, 'select', ['Tübingen', 'Starry Night', 'The Scream']);
    await ui.locator('.layer-style').nth(1).waitFor();
    await ui.locator('.layer-style img').nth(1).waitFor();
    assert.equal(await ui.locator('.layer-content .layer-name').innerText(), 'Tübingen');
    assert.deepEqual(await ui.locator('.layer-style .layer-name').allInnerTexts(), ['Starry Night', 'The Scream']);
    assert.deepEqual(await ui.locator('.weight-value').allInnerTexts(), ['50%', '50%']);
    await ui.locator('.layer-style .weight-slider').first().fill('70');
    await ui.locator('.layer-style .weight-slider').nth(1).fill('30');
    assert.deepEqual(await ui.locator('.weight-value').allInnerTexts(), ['70%', '30%']);
    await shot(page, 'selection');

    // Swap roles, then swap back.
    await ui.locator('.layer-style').first().hover();
    await ui.locator('.layer-style button[data-action="make-content"]').first().click();
    assert.equal(await ui.locator('.layer-content .layer-name').innerText(), 'Starry Night');
    await ui.locator('.layer-style').first().hover();
    await ui.locator('.layer-style button[data-action="make-content"]').first().click();
    assert.equal(await ui.locator('.layer-content .layer-name').innerText(), 'Tübingen');
    assert.deepEqual(await ui.locator('.layer-style .layer-name').allInnerTexts(), ['Starry Night', 'The Scream']);
    assert.deepEqual(await ui.locator('.weight-value').allInnerTexts(), ['70%', '30%']);

    // Leave a style out and put it back.
    await ui.locator('.layer-style').nth(1).hover();
    await ui.locator('.layer-style button[data-action="exclude"]').nth(1).click();
    assert.equal(await ui.locator('.layer-style').count(), 1);
    assert.match(await ui.locator('#layers').innerText(), /1 selected layer left out\. Use it as a style/);
    await ui.getByRole('button', { name: 'Use it as a style' }).click();
    assert.equal(await ui.locator('.layer-style').count(), 2);
    await page.close();
  });

  it('states the time of the whole schedule beside the memory, from the plugin engine timing itself once (kept in clientStorage)', async () => {
    const { page, ui } = await openPlugin({ inPageSpeed: null });
    await harness(page, 'select', ['Tübingen', 'Starry Night']);
    await ui.locator('.layer-style').waitFor();
    const time = ui.locator('[data-role="time-estimate"]');
    // Standard (the default) runs the auto schedule, which may end scales early: its time is an upper bound.
    await time.filter({ hasText: /^At most about / }).waitFor({ timeout: 300_000 });
    const standard = await time.innerText();
    assert.match(standard, /^At most about \d[\d.]* (s|min|h)( \d+ (s|min))? in the plugin\.$/);
    await shot(page, 'estimate');
    // Dispatched: pointer clicks do not always reach the panel while its worker is busy (see the paint test).
    await ui.locator('button[data-preset="high"]').dispatchEvent('click');
    await ui.locator('button[data-preset="high"][aria-checked="true"]').waitFor();
    await time.filter({ hasNotText: standard }).waitFor();
    const high = await time.innerText();
    assert.ok(seconds(high) > 3 * seconds(standard), `High (1024 px, 4 scales) should take far longer than Standard (512 px): ${high} / ${standard}`);
    // Kept in clientStorage: the next session states the same time at once, without timing the engine again.
    const { inPageSpeed } = (await harness(page, 'storage')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(inPageSpeed as object).sort(), ['model', 'msPerPixel', 'throughLayer']);
    await page.close();
    const again = await openPlugin({ inPageSpeed });
    assert.equal(await again.ui.locator('[data-role="time-estimate"]').innerText(), standard);
    await again.page.close();
  });

  it('remembers settings in clientStorage, and an invalid advanced value is marked and not saved', async () => {
    const { page, ui } = await openPlugin();
    await ui.locator('button[data-preset="high"]').click();
    assert.match(await ui.locator('[data-role="memory-estimate"]').innerText(), /^About [\d.]+ (MB|GB) of memory in the plugin/);
    await ui.locator('button[data-engine="in-page"]').click();
    await setAdvanced(ui, { seed: '42', tvWeight: '-1' });
    await ui.locator('[data-field="tvWeight"].invalid').waitFor();
    assert.match(await ui.locator('.field-problem:not([hidden])').first().innerText(), /tvWeight: expected a number ≥ 0$/);
    await page.waitForTimeout(400);
    const stored = (await harness(page, 'storage')) as { settings: { preset: string; engine: string; advanced: Record<string, unknown> } };
    assert.equal(stored.settings.preset, 'high');
    assert.equal(stored.settings.engine, 'in-page');
    assert.deepEqual(stored.settings.advanced, { seed: 42 });
    await harness(page, 'select', ['Tübingen', 'Starry Night']);
    await ui.locator('.layer-style').waitFor();
    assert.match(await ui.locator('#run').innerText(), /Fix “Smoothness \(TV\)” in Advanced first/);
    await ui.locator('.field-problem:not([hidden])').first().scrollIntoViewIfNeeded();
    await shot(page, 'settings');
    await page.close();

    const again = await openPlugin(stored);
    assert.equal(await again.ui.locator('button[data-preset="high"]').getAttribute('aria-checked'), 'true');
    assert.equal(await again.ui.locator('button[data-engine="in-page"]').getAttribute('aria-checked'), 'true');
    await again.ui.locator('details.advanced summary').click();
    assert.equal(await again.ui.locator('[data-field="seed"]').inputValue(), '42');
    await again.page.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`takes Figma's ${theme} theme: soft lines, the strong danger border, native controls in the theme, spacing on the grid`, async () => {
      const { page, ui } = await openPlugin({}, theme);
      await harness(page, 'select', ['Tübingen', 'Starry Night', 'The Scream']);
      await ui.locator('.layer-style').nth(1).waitFor();
      await setAdvanced(ui, { tvWeight: '-1' });
      await ui.locator('[data-field="tvWeight"].invalid').waitFor();
      // No helper functions inside: tsx would wrap them in a __name() the page does not have.
      const look = await ui.locator('html').evaluate((html) => ({
        scheme: getComputedStyle(html).colorScheme,
        border: getComputedStyle(html).getPropertyValue('--figma-color-border').trim(),
        invalidBorder: getComputedStyle(document.querySelector('[data-field="tvWeight"].invalid')!).borderTopColor,
        secondaryBorder: document.querySelector('.button-secondary') ? getComputedStyle(document.querySelector('.button-secondary')!).borderTopColor : undefined,
      }));
      assert.equal(look.scheme, theme);
      // Figma's grid: every padding, margin and gap a multiple of 4 px, a bordered box's padding with its border;
      // 1–2 px for hairlines and lines of text. Not spacing: auto margins (.section-note), the status dot's
      // centring on the first line of its text, and the browser's own <option> boxes.
      const offGrid = await ui.locator('body').evaluate((body) => {
        const found: string[] = [];
        for (const e of Array.from(body.querySelectorAll('*:not(.section-note):not(.dot):not(option)'))) {
          const cs = getComputedStyle(e);
          if (cs.display === 'none') continue;
          for (const side of ['top', 'right', 'bottom', 'left']) {
            const [padding, border, margin] = [`padding-${side}`, `border-${side}-width`, `margin-${side}`].map((p) => Math.abs(parseFloat(cs.getPropertyValue(p))));
            if (padding > 2 && padding % 4 && (padding + border) % 4) found.push(`${e.tagName.toLowerCase()}.${e.className} padding-${side} ${padding}px`);
            if (margin > 2 && margin % 4) found.push(`${e.tagName.toLowerCase()}.${e.className} margin-${side} ${margin}px`);
          }
          for (const [gap, size] of ['row-gap', 'column-gap'].map((g) => [g, parseFloat(cs.getPropertyValue(g))] as const)) if (size > 2 && size % 4) found.push(`${e.tagName.toLowerCase()}.${e.className} ${gap} ${size}px`);
        }
        return found;
      });
      assert.deepEqual(offGrid, []);
      const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
      assert.equal(look.invalidBorder, rgb(FIGMA_THEMES[theme].tokens['border-danger-strong']));
      if (look.secondaryBorder) assert.equal(look.secondaryBorder, rgb(look.border));
      await ui.locator('details.advanced summary').click(); // closed again: the layers and the run are in view
      await page.locator('#plugin').screenshot({ path: path.join(artifacts, `theme-${theme}.png`) }); // injected at open, as Figma does
      await ui.locator('details.advanced summary').click();
      await ui.locator('[data-field="tvWeight"].invalid').scrollIntoViewIfNeeded();
      await page.locator('#plugin').screenshot({ path: path.join(artifacts, `theme-${theme}-invalid.png`) });
      await page.close();
    });
  }

  it('paints in the plugin (WebAssembly: WebGL here is SwiftShader) with the real weights: live progress with a preview, cancel leaves the document as it was, then a result layer', async () => {
    const { page, ui } = await openPlugin();
    await harness(page, 'select', ['Tübingen', 'Starry Night', 'The Scream']);
    await ui.locator('.layer-style').nth(1).waitFor();
    await ui.locator('.layer-style .weight-slider').first().fill('70');
    await ui.locator('.layer-style .weight-slider').nth(1).fill('30');
    await ui.locator('button[data-engine="in-page"]').click();
    await setAdvanced(ui, { ...SHALLOW, evaluations: '400', weightsUrl: `${site.origin}/models/vgg16/model.json` });
    const before = await harness(page, 'snapshot');

    await startStylize(ui);
    await ui.locator('#run[data-phase="painting"] .preview-box:not([hidden]) img').waitFor({ timeout: 300_000 });
    await ui.locator('#run .run-line-strong', { hasText: /Evaluation \d+ of 400 · (about .* left|finishing)/ }).waitFor();
    assert.match(await ui.locator('#run .run-line-strong').getAttribute('title') ?? '', /^48 × 36 px · loss [\d.e+]+$/);
    assert.equal(await ui.locator('#run .run-line-engine').innerText(), 'In the plugin, WebAssembly (WebGL drawn on the CPU by SwiftShader)');
    // The footer while painting: bounded (the layers stay in view above it), nothing in it cut or overflowing.
    const footer = await ui.locator('#run').evaluate((run) => ({
      share: run.getBoundingClientRect().height / window.innerHeight,
      cut: Array.from(run.querySelectorAll('*')).filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth).map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent}`),
    }));
    assert.deepEqual(footer.cut, []);
    assert.ok(footer.share <= 0.4, `the footer takes ${Math.round(footer.share * 100)}% of the panel`);
    await shot(page, 'running');
    // Dispatched, not a pointer click: while the WebAssembly worker paints, Playwright's pointer clicks on
    // this panel do not reach its handlers here (seen this round, not understood yet; the DOM event does).
    await ui.locator('button[data-action="cancel"]').dispatchEvent('click');
    await ui.locator('#run[data-phase="cancelled"]').waitFor();
    assert.match(await runMessage(ui).innerText(), /Cancelled\.\s+The document is unchanged\./);
    assert.equal(await harness(page, 'snapshot'), before, 'nothing was added or changed');
    await shot(page, 'cancelled');

    await setAdvanced(ui, { evaluations: '6' });
    await ui.locator('button[data-action="stylize"]').dispatchEvent('click');
    await ui.locator('#run:not([data-phase="cancelled"])').waitFor();
    await untilRunDone(ui);
    assert.match(await runMessage(ui).innerText(), /Added “Pastiche — Tübingen × Starry Night 70% \+ The Scream 30%”/);
    assert.match(await runMessage(ui).innerText(), /Painted in [\d.]+ s in the plugin, WebAssembly \(WebGL drawn on the CPU by SwiftShader\)\./);
    assert.equal(await ui.locator('.layer-content .layer-name').innerText(), 'Tübingen', 'the panel keeps the run’s layers while the result is selected');
    assert.equal(await ui.locator('button[data-action="stylize"]').isEnabled(), true);
    await shot(page, 'done');
    const result = (await harness(page, 'result'))!;
    assert.deepEqual(result.image, { ...result.image, width: 48, height: 36 }, 'the PNG decodes to the output size');
    assert.equal(result.name, 'Pastiche — Tübingen × Starry Night 70% + The Scream 30%');
    assert.equal(result.parent, 'Moodboard');
    assert.deepEqual(result.box, [40 + 512 + 40, 40, 512, 384]);
    assert.equal(result.fill, 'IMAGE');
    assert.deepEqual(result.relaunch, ['restylize', 'refine']);
    assert.equal(result.record.roles.styles.length, 2);
    assert.equal(result.record.settings.advanced.size, 48);
    await page.close();
  });

  it('cuts a result above the image limit into tiles that become a group covering the content, pixel for pixel', async () => {
    const { page } = await openPlugin();
    // 300 × 200 with a 128 px limit takes the same path as 9000 × 6000 with Figma's 4096: 3 × 2 tiles.
    const placed = await harness(page, 'cutAndPlace', 300, 200, 128);
    assert.equal(placed.type, 'GROUP');
    assert.equal(placed.parent, 'Moodboard');
    assert.deepEqual(placed.box, [40 + 512 + 40, 40, 512, 384]);
    assert.equal(placed.tiles.length, 6);
    assert.deepEqual(placed.tiles.map((t: { image: number[] }) => t.image), [[100, 100], [100, 100], [100, 100], [100, 100], [100, 100], [100, 100]]);
    const round = (values: number[]) => values.map((v) => Math.round(v * 1000) / 1000);
    assert.deepEqual(round(placed.tiles[4].box), round([592 + 512 / 3, 40 + 192, 512 / 3, 192]), 'row 2, column 2, in document units');
    for (const tile of placed.tiles) assert.equal(tile.wrongPixels, 0, `${tile.name} holds exactly its part of the image`);
    await page.close();
  });

  it('paints on a runner started on loopback after pairing with its token', async () => {
    runner = await createRunner({ port: 0, host: '127.0.0.1', weights: modelDir, configDir: runnerConfigDir, stateDir: path.join(runnerConfigDir, 'state'), backend: 'auto' });
    const { page, ui } = await openPlugin();
    await harness(page, 'select', ['Tübingen', 'Shipwreck']);
    await ui.locator('.layer-style').waitFor();
    await ui.locator('button[data-engine="runner"]').click();
    await setAdvanced(ui, { ...SHALLOW, runnerUrl: runner.url });
    await ui.locator('#engine[data-runner="not-paired"]').waitFor({ timeout: 15_000 });
    assert.match(await ui.locator('#engine').innerText(), /Runner found, not paired/);
    await ui.locator('input[aria-label="Runner pairing token"]').fill('not-the-token-'.padEnd(43, 'x'));
    await ui.getByRole('button', { name: 'Pair' }).click();
    await ui.getByText('The runner did not accept this token').waitFor();
    await shot(page, 'runner-not-paired');
    await ui.locator('input[aria-label="Runner pairing token"]').fill(runner.token);
    await ui.getByRole('button', { name: 'Pair' }).click();
    await ui.locator('#engine[data-runner="ready"]').waitFor({ timeout: 15_000 });
    assert.match(await ui.locator('#engine').innerText(), new RegExp(`Runner ready · ${runner.backend!.name}`));
    assert.equal(((await harness(page, 'storage')) as { runnerToken: string }).runnerToken, runner.token, 'the token is remembered');
    // The runner's own calibration (its health) prices the same schedule there; the plugin's beside it.
    await ui.locator('[data-role="time-estimate"]', { hasText: / on the runner\.$/ }).waitFor({ timeout: 300_000 });
    assert.match(await ui.locator('[data-role="time-estimate"]').innerText(), /^About [\d.]+ s in the plugin, [\d.]+ s on the runner\.$/);
    await ui.locator('details.advanced summary').click(); // closed: the estimate and the runner's status in view
    await ui.locator('[data-role="time-estimate"]').scrollIntoViewIfNeeded();
    await shot(page, 'runner-paired');

    await startStylize(ui);
    await untilRunDone(ui);
    assert.match(await runMessage(ui).innerText(), /Added “Pastiche — Tübingen × Shipwreck”/);
    assert.match(await runMessage(ui).innerText(), /Painted in [\d.]+ s on the runner at 127\.0\.0\.1:\d+/);
    await shot(page, 'done-runner');
    const result = (await harness(page, 'result'))!;
    assert.deepEqual([result.image.width, result.image.height], [48, 36]);
    await page.close();
  });

  it('gives a style a region (a rectangle over the left half of the content): thumbnail, feather, clear, and the job carries its mask', async () => {
    runner ??= await createRunner({ port: 0, host: '127.0.0.1', weights: modelDir, configDir: runnerConfigDir, stateDir: path.join(runnerConfigDir, 'state'), backend: 'auto' });
    const recorder = await recordRunnerJobs(runner.url);
    try {
      const { page, ui } = await openPlugin({ runnerToken: runner.token });
      const starry = ui.locator('.layer-style').first();

      // A shape that misses the content is refused on the row, in plain words.
      await harness(page, 'select', ['Tübingen', 'Starry Night', 'The Scream', 'Elsewhere']);
      await ui.locator('.layer-style').nth(1).waitFor();
      assert.deepEqual(await ui.locator('.layer-style .layer-name').allInnerTexts(), ['Starry Night', 'The Scream'], 'a plain shape is no style');
      assert.match(await ui.locator('#layers').innerText(), /1 selected layer left out \(shapes mark regions: Use selection as region\)/);
      await starry.locator('button[data-action="use-region"]').click();
      assert.equal(await starry.locator('[data-role="region-problem"]').innerText(), 'The region “Elsewhere” does not overlap the content “Tübingen”. Draw it over the content.');

      await harness(page, 'select', ['Tübingen', 'Starry Night', 'The Scream', 'Left half']);
      await ui.locator('.layer-style').nth(1).waitFor();
      await starry.locator('button[data-action="use-region"]').click();
      const thumbnail = starry.locator('[data-role="region-thumbnail"]');
      await thumbnail.waitFor();
      assert.equal(await starry.locator('[data-role="region-problem"]').count(), 0, 'the problem is gone');
      assert.match(await starry.innerText(), /Region\s+Left half\s+Clear/);
      assert.doesNotMatch(await ui.locator('#layers').innerText(), /left out/, 'a layer used as a region is not reported as left out');
      // No helper functions inside: tsx would wrap them in a __name() the page does not have.
      const thumbLook = await thumbnail.evaluate(async (img: HTMLImageElement) => {
        await img.decode();
        const canvas = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
        const context = canvas.getContext('2d')!;
        context.drawImage(img, 0, 0);
        const row = context.getImageData(0, Math.floor(img.naturalHeight / 2), img.naturalWidth, 1).data;
        return { width: img.naturalWidth, height: img.naturalHeight, left: row[4], right: row[(img.naturalWidth - 2) * 4] };
      });
      assert.deepEqual(thumbLook, { width: 80, height: 60, left: 255, right: 0 }, 'the thumbnail is the mask at the content’s shape: white on the left, black on the right');
      await starry.locator('button[data-action="clear-region"]').click();
      assert.equal(await thumbnail.count(), 0);
      assert.match(await ui.locator('#layers').innerText(), /1 selected layer left out/);
      await starry.locator('button[data-action="use-region"]').click();
      await thumbnail.waitFor();
      const sharpThumbnail = await thumbnail.getAttribute('src');
      await starry.locator('input[data-action="feather"]').fill('4');
      assert.equal(await starry.locator('[data-feather-for]').innerText(), '4 px');
      await ui.locator(`[data-role="region-thumbnail"]:not([src="${sharpThumbnail}"])`).waitFor();
      await shot(page, 'region');

      await ui.locator('button[data-engine="runner"]').click();
      await setAdvanced(ui, { ...SHALLOW, runnerUrl: recorder.url });
      await ui.locator('#engine[data-runner="ready"]').waitFor({ timeout: 15_000 });
      await startStylize(ui);
      await untilRunDone(ui);
      assert.match(await runMessage(ui).innerText(), /Added “Pastiche — Tübingen × Starry Night 50% \+ The Scream 50%”/);
      const result = (await harness(page, 'result'))!;
      assert.deepEqual([result.image.width, result.image.height], [48, 36]);
      assert.deepEqual(result.box, [40 + 512 + 40, 40, 512, 384]);

      assert.equal(recorder.jobs.length, 1);
      const job = parseJobEnvelope(recorder.jobs[0]);
      assert.equal(job.styleMasks.length, 2);
      assert.equal(job.styleMasks[1], undefined, 'The Scream has no region: it paints everywhere');
      const mask = await readMaskMiddleRow(page, job.styleMasks[0]!);
      assert.deepEqual([mask.width, mask.height], [48, 36], 'the mask has the content’s size');
      assert.deepEqual(mask.row.slice(0, 10), Array(10).fill(255), 'white well inside the rectangle (the left half)');
      assert.deepEqual(mask.row.slice(38), Array(10).fill(0), 'black well outside it');
      assert.ok(mask.row[23] < 255 && mask.row[24] > 0, `the edge at x = 24 is feathered: ${mask.row.slice(18, 30)}`);
      await page.close();
    } finally {
      await recorder.close();
    }
  });

  it('adds a style preset beside a style layer: its row with the credit and the blend, and the job carries it as a style image', async () => {
    runner ??= await createRunner({ port: 0, host: '127.0.0.1', weights: modelDir, configDir: runnerConfigDir, stateDir: path.join(runnerConfigDir, 'state'), backend: 'auto' });
    const recorder = await recordRunnerJobs(runner.url);
    try {
      const { page, ui } = await openPlugin({ runnerToken: runner.token });
      await harness(page, 'select', ['Tübingen', 'Shipwreck']);
      await ui.locator('.layer-style').waitFor();
      assert.equal(await ui.locator('button[data-style-preset]').count(), 4);
      assert.equal(await ui.locator('button[data-style-preset="starry-night"]').getAttribute('title'), 'The Starry Night, Vincent van Gogh (1889), public domain');
      await ui.locator('button[data-style-preset="starry-night"]').click();
      assert.equal(await ui.locator('button[data-style-preset="starry-night"]').getAttribute('aria-pressed'), 'true');
      const row = ui.locator('.layer-preset');
      await row.waitFor();
      assert.equal(await row.locator('.layer-name').innerText(), 'The Starry Night');
      assert.match(await row.locator('.layer-meta').innerText(), /Preset · Vincent van Gogh, 1889 · public domain/);
      assert.match(await ui.locator('#presets').innerText(), /The Starry Night, Vincent van Gogh \(1889\), public domain/);
      await row.locator('.weight-slider').fill('75');
      await ui.locator('.layer-style').first().locator('.weight-slider').fill('25');
      assert.deepEqual(await ui.locator('.weight-value').allInnerTexts(), ['25%', '75%']);
      await shot(page, 'preset');

      await ui.locator('button[data-engine="runner"]').click();
      await setAdvanced(ui, { ...SHALLOW, runnerUrl: recorder.url });
      await ui.locator('#engine[data-runner="ready"]').waitFor({ timeout: 15_000 });
      await startStylize(ui);
      await untilRunDone(ui);
      const job = parseJobEnvelope(recorder.jobs[0]);
      assert.deepEqual((job.header as { styles: Array<{ weight?: number }> }).styles.map((s) => s.weight), [25, 75], 'the layer, then the preset, with their weights');
      const preset = await page.evaluate(async (bytes) => {
        const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
        return [bitmap.width, bitmap.height];
      }, [...job.styles[1]]);
      assert.deepEqual(preset, [48, 30], 'The Starry Night (640×400) exported at the run’s style side, as a layer is');

      // Taken out again from its row: the run is the layer's alone.
      await row.locator('button[data-action="remove-preset"]').click();
      assert.equal(await ui.locator('.layer-preset').count(), 0);
      assert.equal(await ui.locator('button[data-style-preset="starry-night"]').getAttribute('aria-pressed'), 'false');
      await page.close();
    } finally {
      await recorder.close();
    }
  });

  it('paints two layers marked Content in one click (one result each, "2 of 2"), then refines one: its settings back, the run from its pixels', async () => {
    runner ??= await createRunner({ port: 0, host: '127.0.0.1', weights: modelDir, configDir: runnerConfigDir, backend: 'auto' });
    const recorder = await recordRunnerJobs(runner.url);
    try {
      const { page, ui } = await openPlugin({ runnerToken: runner.token });
      await harness(page, 'select', ['Tübingen', 'Shipwreck', 'Starry Night']);
      await ui.locator('.layer-style').nth(1).waitFor();
      await ui.locator('.layer-style').first().hover();
      await ui.locator('.layer-style button[data-action="add-content"]').first().click();
      assert.deepEqual(await ui.locator('.layer-content .layer-name').allInnerTexts(), ['Tübingen', 'Shipwreck']);
      assert.deepEqual(await ui.locator('.layer-style .layer-name').allInnerTexts(), ['Starry Night']);
      await ui.locator('button[data-engine="runner"]').click();
      await setAdvanced(ui, { ...SHALLOW, seed: '3', runnerUrl: recorder.url });
      await ui.locator('#engine[data-runner="ready"]').waitFor({ timeout: 15_000 });
      const before = (await harness(page, 'results')).length;
      await startStylize(ui);
      await ui.locator('#run .run-line-strong', { hasText: /^2 of 2 \(Shipwreck\) · / }).waitFor({ timeout: 300_000 });
      await untilRunDone(ui);
      assert.match(await runMessage(ui).innerText(), /Added 2 layers[\s\S]*Pastiche — Tübingen × Starry Night, Pastiche — Shipwreck × Starry Night\./);
      const results = (await harness(page, 'results')).slice(before);
      assert.deepEqual(results.map((r) => r.name), ['Pastiche — Tübingen × Starry Night', 'Pastiche — Shipwreck × Starry Night']);
      assert.deepEqual(results.map((r) => r.image), [[48, 36], [48, 33]]);
      assert.equal(recorder.jobs.length, 2, 'one job per content');
      await shot(page, 'batch-done');

      // "Refine" on the first result: the panel opens with its settings and layers, and the job starts from its pixels.
      await harness(page, 'relaunch', 'refine', [results[0].name]);
      await ui.locator('.refine-note').waitFor();
      assert.match(await ui.locator('.refine-note').innerText(), /Refining “Pastiche — Tübingen × Starry Night”: the run starts from its pixels/);
      assert.deepEqual(await ui.locator('.layer-content .layer-name').allInnerTexts(), ['Tübingen']);
      assert.equal(await ui.locator('[data-field="seed"]').inputValue(), '3', 'the result’s settings came back');
      await startStylize(ui);
      await untilRunDone(ui);
      const job = parseJobEnvelope(recorder.jobs[2]);
      const header = job.header as { options: { init?: string }; initImage?: { bytes: number } };
      assert.equal(header.options.init, 'image');
      assert.ok(header.initImage && header.initImage.bytes > 0, 'the result’s pixels travel as the init image');
      const refined = (await harness(page, 'results')).at(-1)!;
      assert.equal(refined.record.settings.advanced.seed, 3, 'the refined layer keeps its settings');
      await shot(page, 'refined');
      await page.close();
    } finally {
      await recorder.close();
    }
  });

  it('paints a seamless texture from style frames alone (the content made a style, Pattern on) at the size typed, placed as a frame whose fill repeats it', async () => {
    runner ??= await createRunner({ port: 0, host: '127.0.0.1', weights: modelDir, configDir: runnerConfigDir, backend: 'auto' });
    const recorder = await recordRunnerJobs(runner.url);
    try {
      const { page, ui } = await openPlugin({ runnerToken: runner.token });
      await harness(page, 'select', ['Shipwreck', 'Starry Night']);
      await ui.locator('.layer-content').waitFor();
      await ui.locator('.layer-content').hover();
      await ui.locator('.layer-content button[data-action="content-to-style"]').click();
      assert.equal(await ui.locator('.layer-content').count(), 0);
      assert.deepEqual(await ui.locator('.layer-style .layer-name').allInnerTexts(), ['Starry Night', 'Shipwreck']);
      assert.match(await ui.locator('.texture-note').innerText(), /Or turn on Pattern \(in Advanced\) to paint a seamless texture from the styles alone\./);
      assert.equal(await ui.locator('button[data-action="stylize"]').isDisabled(), true);

      await ui.locator('button[data-engine="runner"]').click();
      await setAdvanced(ui, { ...SHALLOW, runnerUrl: recorder.url });
      await ui.locator('[data-field="seamless"]').check();
      const size = ui.locator('[data-field="texture"]');
      assert.equal(await size.getAttribute('placeholder'), '48×48', 'empty: the run’s size, square');
      await size.fill('64x32');
      await ui.locator('#engine[data-runner="ready"]').waitFor({ timeout: 15_000 });
      await shot(page, 'texture');
      await startStylize(ui);
      await untilRunDone(ui);
      assert.match(await runMessage(ui).innerText(), /Added “Pastiche — Texture × Starry Night 50% \+ Shipwreck 50%”/);

      const job = parseJobEnvelope(recorder.jobs[0]);
      const options = (job.header as { options: Record<string, unknown> }).options;
      assert.deepEqual([options.seamless, options.contentWeight, options.init, options.size], [true, 0, 'random', 64], 'textureRequest’s options, at the texture’s longest side');
      const [pattern] = await harness(page, 'patterns');
      assert.deepEqual(pattern, { name: 'Pastiche — Texture × Starry Night 50% + Shipwreck 50%', size: [64, 32], image: [64, 32], scalingFactor: 0.5, record: '' }, 'a frame of the texture’s size repeating it 2 × 2; no record (Refine starts from a content)');
      await page.close();
    } finally {
      await recorder.close();
    }
  });

  it('says the runner is not running, in plain words, when it is down', async () => {
    const { page, ui } = await openPlugin({ runnerToken: 'x'.repeat(43) });
    await harness(page, 'select', ['Tübingen', 'Starry Night']);
    await ui.locator('.layer-style').waitFor();
    await ui.locator('button[data-engine="runner"]').click();
    const port = await closedPort();
    await setAdvanced(ui, { runnerUrl: `http://127.0.0.1:${port}` });
    await ui.locator('#engine[data-runner="not-running"]').waitFor({ timeout: 15_000 });
    assert.match(await ui.locator('#engine').innerText(), new RegExp(`Runner not running at 127\\.0\\.0\\.1:${port}\\. Start it with pastiche serve`));
    const before = await harness(page, 'snapshot');
    await startStylize(ui);
    await ui.locator('#run[data-phase="failed"]').waitFor();
    assert.match(await runMessage(ui).innerText(), new RegExp(`The runner is not reachable at 127\\.0\\.0\\.1:${port}\\.\\s+Start it with pastiche serve, or choose In plugin\\.`));
    assert.equal(await harness(page, 'snapshot'), before);
    await ui.locator('details.advanced summary').click(); // closed, so the error is in view
    await shot(page, 'error-runner-down');
    // Its cause gone (the user chose to paint in the plugin instead), the message goes with it.
    await ui.locator('button[data-engine="in-page"]').click();
    await ui.locator('#run[data-phase="idle"]').waitFor();
    assert.equal(await runMessage(ui).isHidden(), true);
    await page.close();
  });

  it('shows no quality preset as chosen while Advanced sets the size, and the preset again once it is cleared', async () => {
    const { page, ui } = await openPlugin();
    await ui.locator('button[data-preset="high"]').click();
    assert.equal(await ui.locator('button[data-preset="high"]').getAttribute('aria-checked'), 'true');
    await setAdvanced(ui, { size: '700' });
    await ui.locator('#quality .hint:not([hidden])', { hasText: 'Size set to 700 px in Advanced.' }).waitFor();
    assert.deepEqual(await ui.locator('#quality button[data-preset]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-checked'))), ['false', 'false', 'false']);
    await shot(page, 'quality-overridden');
    await setAdvanced(ui, { size: '' });
    await ui.locator('button[data-preset="high"][aria-checked="true"]').waitFor();
    await page.close();
  });

  it('says in plain words when a size is too large for the plugin’s memory, keeps Stylize off, and offers the largest size that fits', async () => {
    const { page, ui } = await openPlugin();
    await harness(page, 'select', ['Tübingen', 'Starry Night']);
    await ui.locator('.layer-style').waitFor();
    await ui.locator('button[data-engine="in-page"]').click();
    await setAdvanced(ui, { size: '8192' });
    const estimate = ui.locator('[data-role="memory-estimate"]');
    await estimate.filter({ hasText: '8192 px' }).waitFor();
    const said = await estimate.innerText();
    const largest = Number(/up to (\d+) px fits/.exec(said)?.[1]);
    assert.match(said, /^8192 px is too large for the memory of the plugin: up to \d+ px fits\. The runner has more room\.$/);
    assert.ok(largest >= 1024 && largest < 8192 && largest % 64 === 0, said);
    assert.doesNotMatch(said, /scale|L-BFGS|budget|pairs/);
    assert.equal(await ui.locator('button[data-action="stylize"]').isDisabled(), true);
    assert.match(await ui.locator('#run .run-summary').innerText(), new RegExp(`Too large for the plugin: up to ${largest} px fits, or paint on the runner\\.`));
    assert.doesNotMatch(await ui.locator('#quality').innerText(), /in the plugin\./, 'no time for a run the plugin cannot hold');
    await ui.locator('details.advanced summary').click();
    await shot(page, 'estimate-too-large');
    await clickFor(ui, ui.locator('button[data-action="use-largest-size"]'), estimate.filter({ hasText: /^About/ }), `Use ${largest} px`);
    assert.equal(await ui.locator('button[data-action="stylize"]').isDisabled(), false);
    await ui.locator('details.advanced summary').click();
    assert.equal(await ui.locator('[data-field="size"]').inputValue(), String(largest));
    await page.close();
  });
});

/** "At most about 1 min 5 s in the plugin." → 65; "4 h 7 min" → 14,820: the first duration in a sentence. */
function seconds(sentence: string): number {
  const match = /(\d[\d.]*) (s|min|h)(?: (\d+) (s|min))?/.exec(sentence);
  assert.ok(match, `no duration in "${sentence}"`);
  const unit = { s: 1, min: 60, h: 3600 } as const;
  return Number(match[1]) * unit[match[2] as keyof typeof unit] + (match[3] ? Number(match[3]) * unit[match[4] as keyof typeof unit] : 0);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
