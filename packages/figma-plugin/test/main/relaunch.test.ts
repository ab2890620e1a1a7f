import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../src/settings/defaultSettings.ts';
import { resultReady, startFakePlugin } from '../helpers/startFakePlugin.ts';
import type { FakeFigma } from '../fakes/FakeFigma.ts';

async function makeResult() {
  const figma = startFakePlugin();
  const photo = figma.rectangle('Photo', 300, 200);
  const a = figma.frame('A', 100, 100);
  const b = figma.frame('B', 100, 100);
  const roles = { contentId: photo.id, styles: [{ id: a.id, weight: 20 }, { id: b.id, weight: 80 }] };
  const settings = { ...DEFAULT_SETTINGS, preset: 'high' as const, engine: 'runner' as const, advanced: { seed: 42 } };
  figma.sendFromUi(resultReady(roles, 30, 20, { settings }));
  await figma.waitForMessage('result-placed');
  return { figma, roles, settings, photo, a, b };
}

/** Re-runs the plugin in the same document, as Figma does when the user clicks a relaunch button. */
function relaunch(figma: FakeFigma, command: string) {
  (figma as { command: string }).command = command;
  figma.ui.onmessage = undefined;
  figma.sentToUi.length = 0;
  return import('../../src/main/startPlugin.ts').then(({ startPlugin }) => startPlugin(figma, '<html></html>'));
}

test('“Stylize again” on a result re-opens with its settings and re-selects its content and styles', async () => {
  const { figma, roles, settings, photo, a, b } = await makeResult();
  assert.equal(figma.currentPage.selection[0].name.startsWith('Pastiche — '), true);
  await relaunch(figma, 'restylize');
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  const started = await figma.waitForMessage('plugin-started');
  assert.deepEqual(started.settings, settings);
  assert.deepEqual(started.relaunch, roles);
  assert.deepEqual(figma.currentPage.selection, [photo, a, b]);
  const selection = await figma.waitForMessage('selection-changed');
  assert.deepEqual(selection.nodes.map((n: { name: string }) => n.name), ['Photo', 'A', 'B']);
});

test('“Stylize again” after the content was deleted, or from the menu, opens normally', async () => {
  const { figma, photo } = await makeResult();
  const result = figma.currentPage.selection[0];
  photo.remove();
  await relaunch(figma, 'restylize');
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  const started = await figma.waitForMessage('plugin-started');
  assert.equal(started.relaunch, null);
  assert.deepEqual(figma.currentPage.selection, [result], 'selection left alone');

  await relaunch(figma, 'open');
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  assert.equal((await figma.waitForMessage('plugin-started')).relaunch, null);
});

test('a result whose record was tampered with opens normally', async () => {
  const { figma } = await makeResult();
  figma.currentPage.selection[0].setSharedPluginData('pastiche', 'run', JSON.stringify({ version: 1, settings: { preset: 'ultra' } }));
  await relaunch(figma, 'restylize');
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  const started = await figma.waitForMessage('plugin-started');
  assert.equal(started.relaunch, null);
  assert.deepEqual(started.settings, DEFAULT_SETTINGS);
});

test('“Refine” on a result: its settings and presets come back, its layers are selected, and the export sends its pixels to start from', async () => {
  const { figma, roles, settings, photo, a, b } = await makeResult();
  const result = figma.currentPage.selection[0];
  assert.deepEqual(Object.keys(result.relaunchData), ['restylize', 'refine']);
  // The result of a run with a preset: its name lists the preset, its record keeps it.
  const withPreset = resultReady(roles, 30, 20, { settings });
  figma.sendFromUi({ ...withPreset, payload: { ...withPreset.payload, presets: [{ id: 'the-scream', name: 'The Scream', weight: 50 }] } });
  const placed = await figma.waitForMessage('result-placed', 1);
  assert.equal(placed.name, 'Pastiche — Photo × A 13% + B 54% + The Scream 33%');
  const refined = figma.currentPage.selection[0];
  figma.currentPage.selection = [refined];

  await relaunch(figma, 'refine');
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  const started = await figma.waitForMessage('plugin-started');
  assert.deepEqual(started.settings, settings);
  assert.deepEqual(started.relaunch, roles);
  assert.deepEqual(started.presets, [{ id: 'the-scream', weight: 50 }]);
  assert.deepEqual(started.refine, { id: refined.id, name: placed.name });
  assert.deepEqual(figma.currentPage.selection, [photo, a, b]);

  figma.sendFromUi({ name: 'export-requested', payload: { runId: 7, roles, contentSide: 30, styleSide: 30, regions: [], initId: refined.id } });
  const images = await figma.waitForMessage('images-exported').catch((e) => assert.fail(`${e.message}: ${JSON.stringify(figma.sentToUi.at(-1))}`));
  assert.ok(images.init instanceof Uint8Array && images.init.length > 8, 'the result’s pixels');
  assert.deepEqual([images.init[16], images.init[19], images.init[20], images.init[23]], [0, 30, 0, 20], 'at the content’s export size (PNG IHDR)');

  // The refined result keeps the settings it was made with (a record of its own), ready to be refined again.
  figma.sendFromUi(resultReady(roles, 30, 20, { settings: { ...settings, advanced: { seed: 43 } } }));
  await figma.waitForMessage('result-placed');
  const again = figma.currentPage.selection[0];
  assert.notEqual(again, refined);
  assert.deepEqual(JSON.parse(again.getSharedPluginData('pastiche', 'run')).settings.advanced, { seed: 43 });
  assert.deepEqual(Object.keys(again.relaunchData), ['restylize', 'refine']);
});
