import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESULT_GAP } from '../../src/main/findResultPlacement.ts';
import { RUN_RECORD_KEY } from '../../src/results/runRecordSchema.ts';
import { readPngSize } from '../../src/results/readPngSize.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/defaultSettings.ts';
import { FakeContainer, FakeFrame, FakeRectangle, type FakeNode } from '../fakes/fakeNodes.ts';
import type { FakeFigma } from '../fakes/FakeFigma.ts';
import { encodeTestPng } from '../helpers/encodeTestPng.ts';
import { resultReady, startFakePlugin } from '../helpers/startFakePlugin.ts';

function scene() {
  const figma = startFakePlugin();
  const board = figma.frame('Board', 2000, 1000);
  const photo = figma.rectangle('Photo', 300, 200, board);
  Object.assign(photo, { x: 100, y: 50 });
  const starry = figma.frame('Starry Night', 100, 80);
  const scream = figma.frame('Scream', 100, 80);
  return { figma, board, photo, starry, scream, roles: { contentId: photo.id, styles: [{ id: starry.id, weight: 70 }, { id: scream.id, weight: 30 }] } };
}

async function place(figma: FakeFigma, message: ReturnType<typeof resultReady>) {
  const before = figma.messages('result-placed').length + figma.messages('request-failed').length;
  figma.sendFromUi(message);
  const deadline = Date.now() + 5000;
  while (figma.messages('result-placed').length + figma.messages('request-failed').length === before) {
    if (Date.now() > deadline) throw new Error('no answer to result-ready');
    await new Promise((r) => setTimeout(r, 2));
  }
  return { placed: figma.messages('result-placed').at(-1), failed: figma.messages('request-failed').at(-1) };
}

test('the result becomes an image rectangle beside the content: size, position, parent, name, fill, relaunch data, selection', async () => {
  const { figma, board, photo, roles } = scene();
  const settings = { ...DEFAULT_SETTINGS, preset: 'preview' as const, advanced: { seed: 3 } };
  const { placed } = await place(figma, resultReady(roles, 384, 256, { settings }));

  const result = board.children[board.children.indexOf(photo) + 1] as FakeRectangle;
  assert.ok(result instanceof FakeRectangle, 'a rectangle right above the content, in the same frame');
  assert.equal(placed.nodeId, result.id);
  assert.equal(result.name, 'Pastiche — Photo × Starry Night 70% + Scream 30%');
  assert.equal(placed.name, result.name);
  assert.deepEqual([result.x, result.y, result.width, result.height], [100 + 300 + RESULT_GAP, 50, 300, 200], 'the content’s size, to its right, top-aligned');
  const fills = result.fills as ReadonlyArray<{ type: string; imageHash: string; scaleMode: string }>;
  assert.equal(fills.length, 1);
  assert.equal(fills[0].type, 'IMAGE');
  assert.equal(fills[0].scaleMode, 'FILL');
  assert.deepEqual(readPngSize(figma.images.get(fills[0].imageHash)!), { width: 384, height: 256 });
  assert.deepEqual(Object.keys(result.relaunchData), ['restylize']);
  const record = JSON.parse(result.getSharedPluginData(RUN_RECORD_KEY.namespace, RUN_RECORD_KEY.key));
  assert.deepEqual(record, { version: 1, settings, roles });
  assert.deepEqual(figma.currentPage.selection, [result]);
  assert.deepEqual(figma.scrolledTo.at(-1), [result]);
  assert.match(figma.notifications.at(-1)!, /Added “Pastiche — Photo/);
});

test('one style needs no percentage; styles with weight 0 are left out of the name', async () => {
  const { figma, photo, starry, scream } = scene();
  const { placed } = await place(figma, resultReady({ contentId: photo.id, styles: [{ id: starry.id, weight: 1 }, { id: scream.id, weight: 0 }] }, 30, 20));
  assert.equal(placed.name, 'Pastiche — Photo × Starry Night');
});

test('inside an auto-layout frame the result goes to the nearest plain container, beside the auto-layout frame', async () => {
  const figma = startFakePlugin();
  const card = figma.frame('Card', 2000, 1000);
  Object.assign(card, { x: 1000, y: 500 });
  const stack = figma.frame('Stack', 1200, 500, card);
  Object.assign(stack, { x: 40, y: 60, layoutMode: 'VERTICAL' });
  const photo = figma.rectangle('Photo', 320, 200, stack);
  Object.assign(photo, { x: 0, y: 100 });
  const style = figma.frame('Style', 50, 50);
  const { placed } = await place(figma, resultReady({ contentId: photo.id, styles: [{ id: style.id, weight: 1 }] }, 64, 40));
  const result = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeRectangle;
  assert.equal(stack.children.length, 1, 'the auto-layout frame did not get a new child (it has room, but would reflow)');
  assert.equal(result.parent, card);
  assert.equal(card.children.indexOf(result), card.children.indexOf(stack) + 1);
  assert.deepEqual([result.x, result.y], [40 + 1200 + RESULT_GAP, 60 + 100], 'past the auto-layout frame, level with the content');
  assert.deepEqual(result.absoluteTransform.map((row) => row[2]), [1000 + 40 + 1200 + RESULT_GAP, 500 + 60 + 100]);
});

test('a frame too small to show the result beside the content hands it to its own parent', async () => {
  const figma = startFakePlugin();
  const page = figma.currentPage;
  const thumb = figma.frame('Thumb', 340, 220);
  Object.assign(thumb, { x: 100, y: 100 });
  const photo = figma.rectangle('Photo', 320, 200, thumb);
  Object.assign(photo, { x: 10, y: 10 });
  const style = figma.frame('Style', 50, 50);
  const { placed } = await place(figma, resultReady({ contentId: photo.id, styles: [{ id: style.id, weight: 1 }] }, 64, 40));
  const result = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeRectangle;
  assert.equal(result.parent, page);
  assert.equal(page.children.indexOf(result), page.children.indexOf(thumb) + 1);
  assert.deepEqual([result.x, result.y], [100 + 340 + RESULT_GAP, 110], 'clear of the frame it left');
});

test('a frame with room keeps the result; groups, components and instances are climbed out of', async () => {
  const figma = startFakePlugin();
  const frame = figma.frame('Moodboard', 3000, 2000);
  // A group's box hugs its children; they use the frame's coordinates, as in Figma.
  const group = figma.frame('Group', 200, 100, frame, 'GROUP');
  Object.assign(group, { x: 10, y: 20 });
  const photo = figma.rectangle('Photo', 200, 100, group);
  Object.assign(photo, { x: 10, y: 20 });
  const style = figma.frame('Style', 50, 50);
  let { placed } = await place(figma, resultReady({ contentId: photo.id, styles: [{ id: style.id, weight: 1 }] }, 20, 10));
  let result = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeRectangle;
  assert.equal(result.parent, frame, 'not inside the group');
  assert.equal(frame.children.indexOf(result), frame.children.indexOf(group) + 1);
  assert.deepEqual([result.x, result.y], [10 + 200 + RESULT_GAP, 20]);

  const component = figma.frame('Button', 400, 400, figma.currentPage, 'INSTANCE');
  const icon = figma.rectangle('Icon', 20, 20, component);
  ({ placed } = await place(figma, resultReady({ contentId: icon.id, styles: [{ id: style.id, weight: 1 }] }, 20, 20)));
  result = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeRectangle;
  assert.equal(result.parent, figma.currentPage, 'never inside an instance');
});

/** Whether two layers' boxes on the canvas overlap. */
function overlaps(a: FakeNode, b: FakeNode): boolean {
  const [[, , ax], [, , ay]] = a.absoluteTransform;
  const [[, , bx], [, , by]] = b.absoluteTransform;
  return ax < bx + b.width && bx < ax + a.width && ay < by + b.height && by < ay + a.height;
}

test('in an auto-layout row of cards the result goes past the row, covering no card', async () => {
  const figma = startFakePlugin();
  const row = figma.frame('Row', 3 * 300 + 2 * 24, 200);
  Object.assign(row, { x: 0, y: 0, layoutMode: 'HORIZONTAL' });
  const cards = [0, 1, 2].map((i) => Object.assign(figma.rectangle(`Card ${i + 1}`, 300, 200, row), { x: i * 324, y: 0 }));
  const style = figma.frame('Style', 50, 50);
  Object.assign(style, { x: 0, y: 1000 });
  const { placed } = await place(figma, resultReady({ contentId: cards[0].id, styles: [{ id: style.id, weight: 1 }] }, 30, 20));
  const result = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeRectangle;
  assert.equal(result.parent, figma.currentPage);
  assert.deepEqual([result.x, result.y, result.width, result.height], [row.width + RESULT_GAP, 0, 300, 200], 'the first free spot right of the row');
  for (const node of [row, ...cards, style]) assert.ok(!overlaps(result, node), `covers ${node.name}`);
});

test('top-level frames beside the content are stepped over, never covered', async () => {
  const figma = startFakePlugin();
  const art = figma.frame('Artwork', 400, 300);
  const next = figma.frame('Next frame', 500, 600);
  Object.assign(next, { x: 400 + 100, y: -100 });
  const after = figma.frame('After that', 200, 200);
  Object.assign(after, { x: 500 + 500 + 30, y: 250 });
  const style = figma.frame('Style', 50, 50);
  Object.assign(style, { x: 0, y: 2000 });
  const { placed } = await place(figma, resultReady({ contentId: art.id, styles: [{ id: style.id, weight: 1 }] }, 40, 30));
  const result = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeRectangle;
  assert.equal(result.parent, figma.currentPage);
  assert.deepEqual([result.x, result.y], [1030 + 200 + RESULT_GAP, 0], 'past both neighbours, top-aligned with the content');
  for (const node of [art, next, after, style]) assert.ok(!overlaps(result, node), `covers ${node.name}`);
});

test('in a frame whose right side is taken the result goes below the content, past what is there', async () => {
  const figma = startFakePlugin();
  const board = figma.frame('Board', 1000, 1000);
  const photo = Object.assign(figma.rectangle('Photo', 300, 200, board), { x: 50, y: 50 });
  const sidebar = Object.assign(figma.rectangle('Sidebar', 500, 400, board), { x: 450, y: 0 });
  const caption = Object.assign(figma.rectangle('Caption', 300, 60, board), { x: 50, y: 280 });
  const style = figma.frame('Style', 50, 50);
  Object.assign(style, { x: 0, y: 2000 });
  const { placed } = await place(figma, resultReady({ contentId: photo.id, styles: [{ id: style.id, weight: 1 }] }, 30, 20));
  const result = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeRectangle;
  assert.equal(result.parent, board);
  assert.deepEqual([result.x, result.y], [50, 280 + 60 + RESULT_GAP]);
  for (const node of [photo, sidebar, caption]) assert.ok(!overlaps(result, node), `covers ${node.name}`);
});

test('a result above 4096 px arrives in tiles and becomes a group of image rectangles covering the content', async () => {
  const { figma, board, photo, roles } = scene();
  const tiles = [
    { x: 0, y: 0, width: 3000, height: 4000 },
    { x: 3000, y: 0, width: 3000, height: 4000 },
  ].map((t) => ({ ...t, png: encodeTestPng(t.width, t.height) }));
  const { placed } = await place(figma, resultReady(roles, 6000, 4000, { tiles }));
  assert.equal(placed.tiles, 2);
  const group = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeContainer;
  assert.equal(group.type, 'GROUP');
  assert.equal(group.parent, board);
  assert.equal(group.name, placed.name);
  assert.deepEqual(group.children.map((c) => [c.name, c.x, c.y, c.width, c.height]), [
    ['Tile 1', 440, 50, 150, 200],
    ['Tile 2', 590, 50, 150, 200],
  ]);
  assert.deepEqual([group.x, group.y, group.width, group.height], [440, 50, 300, 200]);
  assert.ok(group.getSharedPluginData(RUN_RECORD_KEY.namespace, RUN_RECORD_KEY.key));
  assert.deepEqual(figma.currentPage.selection, [group]);
  assert.equal(board.children.indexOf(group), board.children.indexOf(photo) + 1);
});

test('a failed placement leaves the document exactly as it was', async () => {
  const { figma, photo, roles } = scene();
  const before = figma.snapshot();
  const expectUnchanged = async (message: ReturnType<typeof resultReady>, pattern: RegExp) => {
    const { failed } = await place(figma, message);
    assert.equal(failed.code, 'place-failed');
    assert.match(failed.message, pattern);
    assert.deepEqual(figma.snapshot(), before);
  };
  await expectUnchanged(resultReady(roles, 300, 200, { tiles: [{ png: encodeTestPng(10, 10), x: 0, y: 0, width: 300, height: 200 }] }), /is 10 × 10 px but should be 300 × 200/);
  await expectUnchanged(resultReady(roles, 300, 200, { tiles: [{ png: new Uint8Array(64), x: 0, y: 0, width: 300, height: 200 }] }), /not a PNG/);
  await expectUnchanged(resultReady(roles, 5000, 200, { tiles: [{ png: encodeTestPng(5000, 200), x: 0, y: 0, width: 5000, height: 200 }] }), /4096 px image limit/);
  await expectUnchanged(resultReady(roles, 300, 200, { tiles: [{ png: encodeTestPng(300, 100), x: 0, y: 0, width: 300, height: 100 }] }), /do not cover/);
  figma.createImageError = new Error('Image is corrupt');
  await expectUnchanged(resultReady(roles, 300, 200), /did not accept the result image.*corrupt/);
  figma.createImageError = undefined;

  // A failure half-way (after the first rectangle exists) removes what was made.
  const original = figma.createRectangle.bind(figma);
  let made = 0;
  figma.createRectangle = () => {
    if (++made === 2) throw new Error('out of memory');
    return original();
  };
  const tiles = [0, 1].map((i) => ({ png: encodeTestPng(150, 200), x: i * 150, y: 0, width: 150, height: 200 }));
  await expectUnchanged(resultReady(roles, 300, 200, { tiles }), /could not be added to the document: out of memory/);
  figma.createRectangle = original;

  photo.remove();
  const afterRemoval = figma.snapshot();
  const { failed } = await place(figma, resultReady(roles, 300, 200));
  assert.equal(failed.code, 'node-missing');
  assert.deepEqual(figma.snapshot(), afterRemoval);
  assert.equal(figma.messages('result-placed').length, 0);
});

test('a run that is cancelled after the export (no result-ready) leaves the document unchanged', async () => {
  const { figma, roles } = scene();
  const before = figma.snapshot();
  figma.sendFromUi({ name: 'export-requested', payload: { runId: 1, roles, contentSide: 256, styleSide: 256, regions: [] } });
  await figma.waitForMessage('images-exported');
  assert.deepEqual(figma.snapshot(), before);
});

test('a seamless pattern becomes a frame whose image fill repeats it (TILE), 2 × 2 within the content’s size', async () => {
  const { figma, board, photo, roles } = scene();
  const settings = { ...DEFAULT_SETTINGS, advanced: { seamless: true } };
  const { placed } = await place(figma, resultReady(roles, 384, 256, { settings }));

  const result = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeFrame;
  assert.ok(result instanceof FakeFrame, 'a frame');
  assert.equal(board.children.indexOf(result), board.children.indexOf(photo) + 1, 'right above the content, in the same frame');
  assert.deepEqual([result.x, result.y, result.width, result.height], [100 + 300 + RESULT_GAP, 50, 300, 200], 'the content’s size, to its right');
  const fills = result.fills as ReadonlyArray<{ type: string; imageHash: string; scaleMode: string; scalingFactor?: number }>;
  assert.equal(fills.length, 1);
  assert.deepEqual({ type: fills[0].type, scaleMode: fills[0].scaleMode }, { type: 'IMAGE', scaleMode: 'TILE' });
  assert.equal(fills[0].scalingFactor, 300 / 384 / 2, 'one period half the content’s width: it repeats twice across the frame');
  assert.deepEqual(readPngSize(figma.images.get(fills[0].imageHash)!), { width: 384, height: 256 });
  assert.equal(result.name, placed.name);
  assert.deepEqual(JSON.parse(result.getSharedPluginData(RUN_RECORD_KEY.namespace, RUN_RECORD_KEY.key)).settings, settings, 'Stylize again repeats the pattern');
  assert.deepEqual(figma.currentPage.selection, [result]);
});
