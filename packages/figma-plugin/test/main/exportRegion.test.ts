import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPngSize } from '../../src/results/readPngSize.ts';
import { nextRunId, startFakePlugin } from '../helpers/startFakePlugin.ts';

test('a plain shape is marked as one in the selection; an image rectangle or a frame is not', async () => {
  const figma = startFakePlugin();
  const photo = figma.rectangle('Photo', 600, 400);
  photo.fills = [{ type: 'IMAGE', imageHash: 'photo', scaleMode: 'FILL' }];
  const frame = figma.frame('Starry Night', 300, 300);
  const shape = figma.rectangle('Left half', 300, 400);
  figma.currentPage.selection = [photo, frame, shape];
  const selection = await figma.waitForMessage('selection-changed');
  assert.deepEqual(selection.nodes.map((n: { shape: boolean }) => n.shape), [false, false, true]);
});

test('a region comes at the content’s size, each layer exported alone at the content’s scale where it sits on it', async () => {
  const figma = startFakePlugin();
  const photo = figma.rectangle('Photo', 600, 400);
  Object.assign(photo, { x: 100, y: 50 });
  const style = figma.frame('Starry Night', 300, 300);
  const shape = figma.rectangle('Right part', 200, 400);
  Object.assign(shape, { x: 500, y: 50 });
  figma.sendFromUi({ name: 'export-requested', payload: { runId: nextRunId(), roles: { contentId: photo.id, styles: [{ id: style.id, weight: 1 }] }, contentSide: 300, styleSide: 64, regions: [{ styleId: style.id, nodeIds: [shape.id] }] } });
  const exported = await figma.waitForMessage('images-exported');
  const { canvas, pieces } = exported.styles[0].region;
  assert.deepEqual(canvas, { width: 300, height: 200 });
  assert.deepEqual(pieces.map(({ png, ...place }: { png: Uint8Array }) => ({ ...place, size: readPngSize(png) })), [{ x: 200, y: 0, width: 100, height: 200, size: { width: 100, height: 200 } }]);
  assert.deepEqual(shape.exports.at(-1), { format: 'PNG', constraint: { type: 'SCALE', value: 0.5 }, useAbsoluteBounds: true });
});

test('a region that misses the content is refused in plain words, for the thumbnail and for the run', async () => {
  const figma = startFakePlugin();
  const photo = figma.rectangle('Photo', 600, 400);
  const style = figma.frame('Starry Night', 300, 300);
  const away = figma.rectangle('Elsewhere', 50, 50);
  Object.assign(away, { x: 700, y: 0 });
  figma.sendFromUi({ name: 'region-requested', payload: { runId: 5, contentId: photo.id, nodeIds: [away.id], contentSide: 80 } });
  let failure = await figma.waitForMessage('request-failed');
  assert.deepEqual(failure, { runId: 5, code: 'region-outside', message: 'The region “Elsewhere” does not overlap the content “Photo”. Draw it over the content.' });
  figma.sendFromUi({ name: 'export-requested', payload: { runId: 6, roles: { contentId: photo.id, styles: [{ id: style.id, weight: 1 }] }, contentSide: 300, styleSide: 64, regions: [{ styleId: style.id, nodeIds: [away.id] }] } });
  failure = await figma.waitForMessage('request-failed', 1);
  assert.equal(failure.code, 'region-outside');
  assert.equal(figma.messages('images-exported').length, 0);
});
