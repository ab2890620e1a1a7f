import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPngSize } from '../../src/results/readPngSize.ts';
import { startFakePlugin } from '../helpers/startFakePlugin.ts';
import { FakeNode } from '../fakes/fakeNodes.ts';

test('the panel opens with Figma theme colours and answers ui-ready with the settings, then the selection', async () => {
  const figma = startFakePlugin((f) => {
    const photo = f.rectangle('Photo', 600, 400);
    const starry = f.frame('Starry Night', 300, 240);
    f.currentPage.selection = [photo, starry];
  });
  assert.equal(figma.shownUi?.options?.themeColors, true);
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  const started = await figma.waitForMessage('plugin-started');
  assert.equal(started.settings.preset, 'standard');
  assert.equal(started.relaunch, null);
  const selection = await figma.waitForMessage('selection-changed');
  assert.deepEqual(selection.nodes.map((n: { name: string }) => n.name), ['Photo', 'Starry Night']);
  assert.equal(selection.nodes[0].kind, 'RECTANGLE');
  assert.equal(selection.ignored, 0);
  const thumbnail = await figma.waitForMessage('thumbnail-exported', 1);
  assert.deepEqual(readPngSize(thumbnail.png), { width: 80, height: 64 }, 'second thumbnail: 300 × 240 at 80 px wide');
});

test('a selection change is sent again; layers without area or export are counted as ignored', async () => {
  const figma = startFakePlugin();
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  await figma.waitForMessage('selection-changed');
  const line = new FakeNode('LINE', 'Divider', 200, 0, figma.exporter);
  figma.currentPage.appendChild(line);
  const group = figma.frame('Artwork', 100, 100, figma.currentPage, 'GROUP');
  figma.currentPage.selection = [group, line];
  const second = await figma.waitForMessage('selection-changed', 1);
  assert.deepEqual(second.nodes.map((n: { id: string }) => n.id), [group.id]);
  assert.equal(second.ignored, 1);
});

test('a thumbnail that fails to export is skipped, not fatal', async () => {
  const figma = startFakePlugin((f) => {
    const broken = f.frame('Broken', 100, 100);
    broken.exportError = new Error('render failed');
    f.currentPage.selection = [broken, f.frame('Fine', 50, 50)];
  });
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  const thumbnail = await figma.waitForMessage('thumbnail-exported');
  assert.equal(thumbnail.id, figma.currentPage.selection[1].id);
});

test('a message that does not fit its schema is refused with the field named', async () => {
  const figma = startFakePlugin();
  figma.sendFromUi({ name: 'export-requested', payload: { runId: 7, roles: { contentId: '1:1', styles: [] }, contentSide: 'big', styleSide: 64, regions: [] } });
  const failure = await figma.waitForMessage('request-failed');
  assert.equal(failure.runId, 7);
  assert.equal(failure.code, 'bad-message');
  assert.match(failure.message, /export-requested\.contentSide/);
  figma.sendFromUi({ name: 'format-disk', payload: {} });
  assert.match((await figma.waitForMessage('request-failed', 1)).message, /message\.name: expected one of ui-ready/);
});

test('settings and the runner token are remembered in clientStorage and come back on the next start', async () => {
  const figma = startFakePlugin();
  const settings = { preset: 'high', engine: 'runner', advanced: { seed: 7, styleLayers: ['block1_conv2'] }, runnerUrl: 'http://127.0.0.1:7878' };
  figma.sendFromUi({ name: 'settings-changed', payload: { settings } });
  figma.sendFromUi({ name: 'runner-token-changed', payload: { token: 'secret-token' } });
  await new Promise((r) => setTimeout(r, 5));
  const again = startFakePlugin((f) => f.storage.set('settings', figma.storage.get('settings')));
  again.storage.set('runnerToken', figma.storage.get('runnerToken'));
  again.sendFromUi({ name: 'ui-ready', payload: {} });
  const started = await again.waitForMessage('plugin-started');
  assert.deepEqual(started.settings, settings);
  assert.equal(started.runnerToken, 'secret-token');
});

test('the in-page engine\'s speed, once measured, comes back on the next start; a stored value that is no calibration is left out', async () => {
  const figma = startFakePlugin();
  const calibration = { msPerPixel: 0.0123, model: 'vgg16', throughLayer: 'block5_conv3' };
  figma.sendFromUi({ name: 'in-page-speed-measured', payload: { calibration } });
  await new Promise((r) => setTimeout(r, 5));
  const again = startFakePlugin((f) => f.storage.set('inPageSpeed', figma.storage.get('inPageSpeed')));
  again.sendFromUi({ name: 'ui-ready', payload: {} });
  assert.deepEqual((await again.waitForMessage('plugin-started')).inPageSpeed, calibration);

  for (const stored of [{ msPerPixel: -1, model: 'vgg16', throughLayer: 'block5_conv3' }, 'fast', { msPerPixel: 0.01 }]) {
    const edited = startFakePlugin((f) => f.storage.set('inPageSpeed', stored));
    edited.sendFromUi({ name: 'ui-ready', payload: {} });
    const started = await edited.waitForMessage('plugin-started');
    assert.equal('inPageSpeed' in started, false, JSON.stringify(stored));
  }
});

test('stored settings from another version keep what still fits and take defaults for the rest', async () => {
  const figma = startFakePlugin((f) => f.storage.set('settings', { preset: 'high', engine: 'quantum', advanced: { size: 5 }, colour: 'red' }));
  figma.sendFromUi({ name: 'ui-ready', payload: {} });
  const { settings } = await figma.waitForMessage('plugin-started');
  assert.equal(settings.preset, 'high');
  assert.equal(settings.engine, 'auto');
  assert.deepEqual(settings.advanced, {});
  assert.equal('colour' in settings, false);
});
