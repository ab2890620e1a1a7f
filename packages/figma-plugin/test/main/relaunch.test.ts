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
