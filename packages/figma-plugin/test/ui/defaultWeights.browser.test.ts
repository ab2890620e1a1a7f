// With nothing else installed: no runner, the weights from the default host (a local stand-in for jsDelivr
// that the browser reaches under the real host name), a fresh profile; here, each way that host can fail. The
// paint from the default weights, with its figures, is the release test's (test/release/release.test.ts): it
// runs the released plugin on the published weights package.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type FrameLocator } from 'playwright-core';
import { syntheticWeights, loadRealWeights } from '@pastiche/core/test-support';
import { writeWeightsPackage } from '@pastiche/node-runner';
import { serveWeightsCdn } from './harness/serveWeightsCdn.ts';
import { shootInThemes } from './harness/shootInThemes.ts';
import { harness, openAndSelect, serveWithoutRunner, waitInRun } from './harness/withoutRunner.ts';

const CHROMIUM = '/usr/bin/chromium';
const pluginRoot = path.resolve(import.meta.dirname, '../..');
const repoRoot = path.resolve(pluginRoot, '../..');
const shared = path.resolve(repoRoot, '../shared');
const artifacts = path.join(repoRoot, '.artifacts/figma-plugin');

describe('the Figma plugin with nothing else installed: default weights from their CDN, no runner', { timeout: 1_200_000 }, () => {
  let site: Awaited<ReturnType<typeof serveWithoutRunner>>;
  let cdn: Awaited<ReturnType<typeof serveWeightsCdn>>;
  let context: BrowserContext;
  let userDataDir: string;
  let packageDir: string;

  const runMessage = (ui: FrameLocator) => ui.locator('#run .message');

  before(async () => {
    // A missing browser or missing weights fail the suite: they are part of what it checks.
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
    assert.ok(existsSync(path.join(shared, 'models/vgg16/model.json')), `no weights in ${shared}/models`);
    assert.ok(existsSync(path.join(pluginRoot, 'dist/ui.html')), 'build first (npm run build): dist/ui.html is missing');
    site = await serveWithoutRunner({ uiHtmlFile: path.join(pluginRoot, 'dist/ui.html'), imageDir: path.join(shared, 'images'), modelDir: path.join(shared, 'models/vgg16') });
    // The package as published: the real blocks 1–3, seeded synthetic blocks 4–5 of the exact shapes.
    const real = await loadRealWeights('vgg16');
    const layers = new Map([...syntheticWeights('vgg16', 'block5_conv3')].map(([name, w]) => [name, real.get(name) ?? w]));
    packageDir = await mkdtemp(path.join(tmpdir(), 'pastiche-weights-package-'));
    await writeWeightsPackage({ vgg16: layers }, packageDir);
    cdn = await serveWeightsCdn(packageDir, { bitsPerSecond: 50e6 });
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
      const { page, ui } = await openAndSelect(context, site.origin);
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
      await shootInThemes(page, artifacts, screenshot);
      await page.close();
    } finally {
      cdn.state[fault] = false;
    }
  }

  it('says the weights host is down, in plain words, before Stylize and after, and changes nothing', async () => {
    const said = /cdn\.jsdelivr\.net answered HTTP 503 when asked for the model weights\.[\s\S]*Try again later, or start the runner \(npx pastiche serve\) and pair the plugin/;
    await failingWeights('down', { before: said, after: said }, 'error-weights-host-down');
  });

  it('says the default weights are not published yet — never to check the connection — and offers the runner or a weights URL', async () => {
    const said = /The model weights are not published at cdn\.jsdelivr\.net yet \(@pastiche\/vgg-weights@[\d.]+\), so the plugin cannot paint by itself\.[\s\S]*Start the runner \(npx pastiche serve\) and pair the plugin: it serves the weights\. Or set a weights URL in Advanced\./;
    await failingWeights('unpublished', { before: said, after: said, never: /internet|connection|HTTP 404/ }, 'error-weights-not-published');
  });

  it('tells a host that refuses the plugin’s origin (CORS) from one that is down', async () => {
    const said = /cdn\.jsdelivr\.net answers, but does not let the plugin read the model weights \(no CORS permission for it\)/;
    await failingWeights('noCors', { before: said, after: said, never: /internet/ }, 'error-weights-cors');
  });
});
