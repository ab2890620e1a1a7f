import type { Frame, Page } from 'playwright-core';

/** Figma's plugin UI runs in a sandboxed iframe: an opaque origin ("null") with no Cache API. */
export const OPAQUE_HOST = (origin: string) =>
  `<!doctype html><title>opaque host</title><iframe sandbox="allow-scripts" style="width:900px;height:300px" srcdoc="${`<pre id=log></pre><script src='${origin}/page.js'></script>`.replace(/"/g, '&quot;')}"></iframe>`;

/** The iframe of `host` once its test page has loaded. */
export async function waitForHarness(host: Page): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    const frame = host.frames().find((f) => f !== host.mainFrame());
    if (frame && (await frame.evaluate(() => 'harness' in globalThis).catch(() => false))) return frame;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the iframe never loaded the test page');
}
