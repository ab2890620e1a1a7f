import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPngSize } from '../../src/results/readPngSize.ts';
import { nextRunId, startFakePlugin } from '../helpers/startFakePlugin.ts';

function exportRequest(contentId: string, styleIds: string[], contentSide = 512, styleSide = 384) {
  return { name: 'export-requested', payload: { runId: nextRunId(), roles: { contentId, styles: styleIds.map((id) => ({ id, weight: 50 })) }, contentSide, styleSide, regions: [] } };
}

test('the content exports at the output size (longest side) and each style at the style size', async () => {
  const figma = startFakePlugin();
  const photo = figma.rectangle('Photo', 1200, 800);
  const tall = figma.frame('Scream', 200, 400);
  const icon = figma.frame('Icon', 24, 24);
  const request = exportRequest(photo.id, [tall.id, icon.id]);
  figma.sendFromUi(request);
  const exported = await figma.waitForMessage('images-exported');
  assert.equal(exported.runId, request.payload.runId);
  assert.deepEqual(readPngSize(exported.content.png), { width: 512, height: 341 });
  assert.deepEqual(exported.styles.map((s: { png: Uint8Array }) => readPngSize(s.png)), [{ width: 192, height: 384 }, { width: 384, height: 384 }]);
  assert.deepEqual(photo.exports[0], { format: 'PNG', constraint: { type: 'WIDTH', value: 512 } });
  assert.deepEqual(tall.exports.at(-1), { format: 'PNG', constraint: { type: 'HEIGHT', value: 384 } }, 'tall layers are constrained by height');
});

test('export problems come back in plain words with a code, and nothing is exported by halves', async () => {
  const figma = startFakePlugin();
  const photo = figma.rectangle('Photo', 600, 400);
  const style = figma.frame('Starry Night', 300, 300);

  figma.sendFromUi(exportRequest(photo.id, []));
  let failure = await figma.waitForMessage('request-failed');
  assert.equal(failure.code, 'no-style');
  assert.match(failure.message, /Add at least one style/);

  const gone = figma.frame('Deleted', 100, 100);
  gone.remove();
  figma.sendFromUi(exportRequest(photo.id, [gone.id]));
  failure = await figma.waitForMessage('request-failed', 1);
  assert.equal(failure.code, 'node-missing');
  assert.match(failure.message, /style 1 layer .*no longer in the document/);

  figma.sendFromUi(exportRequest(photo.id, [style.id], 9000));
  failure = await figma.waitForMessage('request-failed', 2);
  assert.equal(failure.code, 'node-too-large');
  assert.match(failure.message, /9000 px; the most is 8192 px/);

  const sliver = figma.rectangle('Hairline', 4000, 1);
  figma.sendFromUi(exportRequest(sliver.id, [style.id], 256));
  failure = await figma.waitForMessage('request-failed', 3);
  assert.equal(failure.code, 'node-too-large');
  assert.match(failure.message, /too thin/);

  style.exportError = new Error('out of memory');
  figma.sendFromUi(exportRequest(photo.id, [style.id]));
  failure = await figma.waitForMessage('request-failed', 4);
  assert.equal(failure.code, 'export-failed');
  assert.match(failure.message, /Figma could not export “Starry Night” \(out of memory\)/);

  figma.sendFromUi(exportRequest(photo.id, [photo.id]));
  assert.match((await figma.waitForMessage('request-failed', 5)).message, /both the content and a style/);
  assert.equal(figma.messages('images-exported').length, 0);
});
