import assert from 'node:assert/strict';
import { connect } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { DEFAULT_RUNNER_URL } from '@pastiche/web-bridge/settings';
import type { Harness } from './harnessPage.ts';
import { serveHarness } from './serveHarness.ts';

/**
 * What the suites of the Figma plugin with nothing else installed share (the default weights test, and the
 * release test of the top-level test/ workspace): the harness page served with a given build of the plugin,
 * opening it with a selection, and waiting on the run panel.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>Figma (test harness)</title>
<style>body { margin: 0; background: #e5e5e5; } iframe { display: block; border: 0; background: #fff; margin: 16px; }</style>
<iframe id="plugin" sandbox="allow-scripts" title="Pastiche"></iframe>
<script type="module" src="/harness.js"></script>`;

/**
 * Serves the harness with the plugin's ui.html and, where given, the built main.js to run in place of the
 * main code from source (a release's files). Fails first when a runner listens: these runs are for a machine
 * without one.
 */
export async function serveWithoutRunner(files: { uiHtmlFile: string; mainJsFile?: string; imageDir: string; modelDir: string }) {
  assert.equal(await isListening(DEFAULT_RUNNER_URL), false, `something listens at ${DEFAULT_RUNNER_URL}: these runs are for a machine without a runner`);
  const script = await build({ entryPoints: [path.join(import.meta.dirname, 'harnessPage.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'chrome110', logLevel: 'silent' });
  return serveHarness({ page: PAGE, script: script.outputFiles[0].text, ...files });
}

/** Calls the harness page's `harness[name](...args)`. */
export const harness = <K extends keyof Harness>(page: Page, name: K, ...args: unknown[]) =>
  page.evaluate(([n, a]) => (window as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[n as string](...(a as unknown[])), [name, args] as const) as Promise<Awaited<ReturnType<Harness[K] extends (...a: never[]) => unknown ? Harness[K] : never>>>;

/** Opens the plugin (with the served main.js when there is one) and selects Tübingen and Starry Night; `opened` is when the page was asked for. */
export async function openAndSelect(context: BrowserContext, origin: string): Promise<{ page: Page; ui: FrameLocator; opened: number }> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  page.on('console', (m) => process.env.DEBUG_BROWSER && console.log(`[page] ${m.text()}`));
  const opened = performance.now();
  await page.goto(`${origin}/`);
  await harness(page, 'start', {});
  const ui = page.frameLocator('#plugin');
  await harness(page, 'select', ['Tübingen', 'Starry Night']);
  await ui.locator('.layer-style').waitFor();
  return { page, ui, opened };
}

/** Waits for the run panel to show `selector`; a timeout or a failed run says what the panel showed instead. */
export async function waitInRun(ui: FrameLocator, selector: string, timeout: number) {
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

function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port: Number(port) });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
