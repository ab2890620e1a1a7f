// What used to leave the panel stuck or the document half-changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MainToUiMessages } from '../../src/messages/messageSchemas.ts';
import { parseMessage } from '../../src/messages/parseMessage.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/defaultSettings.ts';
import type { FakeRectangle } from '../fakes/fakeNodes.ts';
import { resultReady, startFakePlugin } from '../helpers/startFakePlugin.ts';

test('ui-ready is answered with the defaults, and the user told, when clientStorage cannot be read', async () => {
  const figma = startFakePlugin((f) => {
    f.clientStorage.getAsync = async () => {
      throw new Error('storage is unavailable');
    };
  });
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  const started = await figma.waitForMessage('plugin-started');
  assert.deepEqual(started, { settings: DEFAULT_SETTINGS, runnerToken: '', relaunch: null });
  assert.match(figma.notifications.at(-1)!, /could not read what it remembered \(storage is unavailable\); it starts with its defaults/);
  await figma.waitForMessage('selection-changed');
});

test('a layer name of any length reaches the panel, shortened, in a message that passes its schema', async () => {
  const figma = startFakePlugin((f) => {
    f.currentPage.selection = [f.rectangle('x'.repeat(5000), 100, 100), f.rectangle('Style', 50, 50)];
  });
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  const selection = await figma.waitForMessage('selection-changed');
  assert.equal(selection.nodes[0].name.length, 1000);
  assert.ok(selection.nodes[0].name.endsWith('…'));
  assert.doesNotThrow(() => parseMessage(MainToUiMessages, { name: 'selection-changed', payload: selection }));
});

test('a result whose page the user left mid-run is placed on that page (loadAsync first), and they stay where they are', async () => {
  const figma = startFakePlugin();
  const photo = figma.rectangle('Photo', 300, 200);
  const style = figma.frame('Style', 50, 50);
  Object.assign(style, { x: 0, y: 1000 });
  const first = figma.currentPage;
  const second = figma.addPage('Page 2');
  figma.goToPage(second);
  figma.sendFromUi(resultReady({ contentId: photo.id, styles: [{ id: style.id, weight: 1 }] }, 30, 20));
  const placed = await figma.waitForMessage('result-placed');
  const result = (await figma.getNodeByIdAsync(placed.nodeId)) as FakeRectangle;
  assert.equal(result.parent, first);
  assert.deepEqual([result.x, result.y], [340, 0]);
  assert.equal(figma.currentPage, second);
  assert.deepEqual(figma.currentPage.selection, [], 'nothing selected on the page they are looking at');
});

test('placing a result sets the file’s `open` relaunch button; a failure to show the result does not undo or fail it', async () => {
  const figma = startFakePlugin();
  const photo = figma.rectangle('Photo', 300, 200);
  const style = figma.frame('Style', 50, 50);
  Object.assign(style, { x: 0, y: 1000 });
  figma.viewport.scrollAndZoomIntoView = () => {
    throw new Error('viewport unavailable');
  };
  figma.sendFromUi(resultReady({ contentId: photo.id, styles: [{ id: style.id, weight: 1 }] }, 30, 20));
  const placed = await figma.waitForMessage('result-placed');
  assert.deepEqual(figma.messages('request-failed'), []);
  const result = await figma.getNodeByIdAsync(placed.nodeId);
  assert.ok(result && !result.removed, 'the result stays');
  assert.deepEqual(Object.keys(figma.rootRelaunchData), ['open']);
});
