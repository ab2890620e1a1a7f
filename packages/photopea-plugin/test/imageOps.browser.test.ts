import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { ImageOpsHarness } from './imageOpsPage.ts';

const CHROMIUM = '/usr/bin/chromium';

describe('the panel\'s image steps in headless Chromium: crop, transparency, size limit', { timeout: 120_000 }, () => {
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const call = <K extends keyof ImageOpsHarness>(name: K, ...args: Parameters<ImageOpsHarness[K]>) =>
    page.evaluate(([n, a]) => (globalThis as unknown as { imageOps: Record<string, (...x: unknown[]) => unknown> }).imageOps[n](...a), [name, args] as const) as Promise<Awaited<ReturnType<ImageOpsHarness[K]>>>;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: the suite needs it (apt-get install -y chromium)`);
    const bundle = await build({ entryPoints: [path.join(import.meta.dirname, 'imageOpsPage.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome110', logLevel: 'silent' });
    userDataDir = await mkdtemp(path.join(tmpdir(), 'pastiche-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = context.pages()[0] ?? (await context.newPage());
    await page.setContent('<!doctype html><title>image steps</title>');
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
  });
  after(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it('crops an export to the layer\'s bounds and shrinks it to the render size, whatever size Photopea exported at', async () => {
    for (const scale of [1, 2]) {
      const crop = await call('crop', scale, 1000);
      assert.deepEqual([crop.width, crop.height, ...crop.decoded], [50 * scale, 30 * scale, 50 * scale, 30 * scale], 'the region, in the export\'s pixels');
      assert.deepEqual(crop.corners, [[255, 0, 0, 255], [255, 0, 0, 255]], 'only the layer\'s pixels');
    }
    const small = await call('crop', 1, 25);
    assert.deepEqual([small.width, small.height], [25, 15]);
  });

  it('tells an opaque painting (which may go in as a JPEG) from one with the content\'s transparency', async () => {
    assert.deepEqual(await call('alpha'), [true, false, false]);
  });

  it('keeps what it sends into Photopea under the limit: a JPEG for an opaque painting, else a smaller PNG, saying so', async () => {
    const r = await call('place');
    assert.ok(r.bigBytes > r.limit, `the test painting (${r.bigBytes} bytes) is over the limit`);
    assert.equal(r.jpeg.mime, 'image/jpeg');
    assert.ok(r.jpeg.bytes <= r.limit);
    assert.match(r.jpeg.note!, /^Added as a JPEG \(quality 92\): as a PNG it was 0\.\d MB, over the 0\.1 MB Pastiche sends to Photopea at once\.$/);
    assert.equal(r.shrunk.mime, 'image/png');
    assert.ok(r.shrunk.bytes <= r.limit);
    assert.ok(r.shrunk.size[0] < 300 && r.shrunk.size[0] === r.shrunk.size[1]);
    assert.match(r.shrunk.note!, new RegExp(`^Added at ${r.shrunk.size[0]} × ${r.shrunk.size[1]} and scaled up to the content: the 300 × 300 PNG was`));
    assert.deepEqual(r.fits, { mime: 'image/png', note: null });
  });
});
