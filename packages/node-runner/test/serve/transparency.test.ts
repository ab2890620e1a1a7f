import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { json, readJobEvents, SHALLOW, startTestRunner, type TestRunner } from './helpers/runner.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner();
});
after(() => runner?.close());

test('pastiche serve: a content with a transparent hole gives a result PNG with exactly its alpha', async () => {
  // 48×36: a gradient with a transparent disc (black under it), its rim antialiased.
  const pixels = Buffer.alloc(48 * 36 * 4);
  for (let y = 0; y < 36; y++) {
    for (let x = 0; x < 48; x++) {
      const coverage = Math.min(1, Math.max(0, Math.hypot(x + 0.5 - 24, y + 0.5 - 18) - 8));
      pixels.set(coverage === 0 ? [0, 0, 0, 0] : [x * 5, y * 7, 128, Math.round(255 * coverage)], (y * 48 + x) * 4);
    }
  }
  const content = new Uint8Array(await sharp(pixels, { raw: { width: 48, height: 36, channels: 4 } }).png().toBuffer());
  const { id } = await json(await runner.submit({ content, options: { ...SHALLOW, size: 48, evaluations: 3 } }));
  const { events } = await readJobEvents(runner, id);
  assert.equal(events.at(-1)?.event, 'done', JSON.stringify(events.at(-1)));
  const result = Buffer.from(await (await runner.api(`/v1/jobs/${id}/result`)).arrayBuffer());
  const alpha = await sharp(result).ensureAlpha().extractChannel(3).raw().toBuffer();
  assert.ok(alpha.equals(await sharp(pixels, { raw: { width: 48, height: 36, channels: 4 } }).extractChannel(3).raw().toBuffer()), 'the result’s alpha differs from the content’s');
});
