import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PhotopeaScriptError, PhotopeaTimeoutError, type DocumentInfo } from '../src/index.ts';
import { exportImage, MAX_DOCUMENT_PIXELS } from '../src/document/exportImage.ts';
import { pastichePlugin } from '../src/embed/pastichePlugin.ts';
import { photopeaUrl } from '../src/embed/photopeaUrl.ts';
import { explainRunError } from '../src/run/explainRunError.ts';
import { nameResult } from '@pastiche/web-bridge/naming';
import { createSettingsStore } from '../src/settings/createSettingsStore.ts';
import { defaultSettings } from '../src/settings/PhotopeaSettings.ts';
import { readStoredSettings } from '../src/settings/readStoredSettings.ts';
import { resolveRunOptions } from '@pastiche/web-bridge/settings';
import { makeContent, reconcileRoles, setStyleRegion, toggleMoreContent, toggleStyle } from '../src/ui/roles.ts';
import { findResultRecord, MAX_RESULT_RECORDS, readResultRecords, withResultRecord } from '../src/results/resultRecords.ts';

const layer = (path: number[], name: string) => ({ path, name, group: false, visible: true, shown: true, bounds: [0, 0, 10, 10] as [number, number, number, number], parents: [] });
const doc = (name: string, layers: ReturnType<typeof layer>[]): DocumentInfo => ({ name, width: 100, height: 100, layers, active: layers[0] ? { path: layers[0].path, name: layers[0].name } : null });

describe('the panel\'s logic', () => {
  it('keeps the roles on layers that moved (a result was added above), drops gone ones, starts over in another document', () => {
    const before = doc('a.psd', [layer([0], 'Photo'), layer([1], 'Starry'), layer([2], 'Scream')]);
    const roles = { content: { path: [0], name: 'Photo' }, styles: [{ path: [1], name: 'Starry', weight: 70 }, { path: [2], name: 'Scream', weight: 30 }] };
    const after = doc('a.psd', [layer([0], 'Pastiche — Photo × Starry'), layer([1], 'Photo'), layer([2], 'Starry')]);
    assert.deepEqual(reconcileRoles(roles, after, before), { content: { path: [1], name: 'Photo' }, styles: [{ path: [2], name: 'Starry', weight: 70 }] });
    assert.deepEqual(reconcileRoles(roles, doc('b.psd', [layer([0], 'Cat')]), before), { content: { path: [0], name: 'Cat' }, styles: [] });
    const twins = doc('a.psd', [layer([0], 'Layer'), layer([1], 'Layer')]);
    assert.equal(reconcileRoles({ content: { path: [5], name: 'Layer' }, styles: [] }, twins, before).content, null, 'an ambiguous name is not guessed');
  });

  it('gives a style a region (the selection, or a layer followed as it moves); a region layer that is gone leaves the style painting everywhere', () => {
    const before = doc('a.psd', [layer([0], 'Photo'), layer([1], 'Starry'), layer([2], 'Sky shape')]);
    let roles = setStyleRegion({ content: { path: [0], name: 'Photo' }, styles: [{ path: [1], name: 'Starry', weight: 50 }] }, { path: [1], name: 'Starry' }, { kind: 'layer', layer: { path: [2], name: 'Sky shape' } });
    assert.deepEqual(roles.styles[0].region, { kind: 'layer', layer: { path: [2], name: 'Sky shape' } });
    const moved = doc('a.psd', [layer([0], 'Result'), layer([1], 'Photo'), layer([2], 'Starry'), layer([3], 'Sky shape')]);
    roles = reconcileRoles(roles, moved, before);
    assert.deepEqual(roles.styles, [{ path: [2], name: 'Starry', weight: 50, region: { kind: 'layer', layer: { path: [3], name: 'Sky shape' } } }]);
    assert.deepEqual(reconcileRoles(roles, doc('a.psd', [layer([0], 'Photo'), layer([1], 'Starry')]), moved).styles, [{ path: [1], name: 'Starry', weight: 50 }]);
    const inSelection = setStyleRegion(roles, { path: [2], name: 'Starry' }, { kind: 'selection' });
    assert.deepEqual(reconcileRoles(inSelection, moved, moved).styles[0].region, { kind: 'selection' });
    assert.deepEqual(setStyleRegion(inSelection, { path: [2], name: 'Starry' }, undefined).styles, [{ path: [2], name: 'Starry', weight: 50 }], 'Everywhere: no region');
  });

  it('marks more layers as contents (a batch): never the content nor a style too, followed as they move, unmarked again', () => {
    const [photo, cat, starry] = [{ path: [0], name: 'Photo' }, { path: [1], name: 'Cat' }, { path: [2], name: 'Starry' }];
    let roles = toggleMoreContent({ content: photo, styles: [{ ...cat, weight: 50 }, { ...starry, weight: 50 }] }, cat);
    assert.deepEqual(roles, { content: photo, moreContents: [cat], styles: [{ ...starry, weight: 50 }] });
    assert.equal(toggleMoreContent(roles, photo), roles, 'the content is not another content');
    assert.deepEqual(toggleStyle(roles, cat).moreContents, undefined, 'made a style: no longer a content');
    assert.deepEqual(makeContent(roles, cat), { content: cat, styles: [{ ...starry, weight: 50 }] });
    const before = doc('a.psd', [layer([0], 'Photo'), layer([1], 'Cat'), layer([2], 'Starry')]);
    const moved = doc('a.psd', [layer([0], 'Pastiche — Photo × Starry'), layer([1], 'Photo'), layer([2], 'Cat'), layer([3], 'Starry')]);
    assert.deepEqual(reconcileRoles(roles, moved, before).moreContents, [{ path: [2], name: 'Cat' }]);
    assert.deepEqual(toggleMoreContent(roles, cat), { content: photo, styles: [{ ...starry, weight: 50 }] });
  });

  it('lets a layer be the content or a style, not both', () => {
    const photo = { path: [0], name: 'Photo' };
    let roles = toggleStyle({ content: photo, styles: [] }, photo);
    assert.deepEqual(roles, { content: null, styles: [{ ...photo, weight: 50 }] });
    roles = makeContent(roles, photo);
    assert.deepEqual(roles, { content: photo, styles: [] });
    assert.deepEqual(makeContent(toggleStyle(roles, { path: [1], name: 'S' }), 'document').styles.length, 1);
  });

  it('reads stored settings field by field, keeping what fits and defaulting the rest', () => {
    const defaults = defaultSettings({ weightsUrl: 'http://127.0.0.1:9/model.json' });
    assert.deepEqual(readStoredSettings(null, defaults), defaults);
    const read = readStoredSettings({ preset: 'high', engine: 'warp', runnerUrl: 'javascript:alert(1)', advanced: { size: 48, seed: -1, evaluations: [10, 20], scales: 2, colour: true } }, defaults);
    assert.equal(read.preset, 'high');
    assert.equal(read.engine, 'auto');
    assert.equal(read.runnerUrl, 'http://localhost:7878');
    assert.deepEqual(read.advanced, { size: 48, evaluations: [10, 20], scales: 2 });
    assert.deepEqual(readStoredSettings({ advanced: { evaluations: [10, 20, 30] } }, defaults).advanced, {}, 'budgets that do not fit the scales are dropped');
  });

  it('runs a preset on the auto schedule; scales set in Advanced mean exactly that', () => {
    assert.deepEqual(resolveRunOptions({ preset: 'standard', advanced: {} }), { size: 512 });
    assert.deepEqual(resolveRunOptions({ preset: 'standard', advanced: { scales: 1 } }), { size: 512, scales: 1 });
  });

  it('keeps the pairing token with the runner address it was paired at', () => {
    const store = createSettingsStore(); // no localStorage in Node: memory
    store.saveToken('http://127.0.0.1:7878', 'secret');
    assert.equal(store.loadToken('http://127.0.0.1:7878'), 'secret');
    assert.equal(store.loadToken('https://elsewhere.example'), '');
  });

  it('names the result after the content and the styles\' shares', () => {
    assert.equal(nameResult('Photo', [{ name: 'Starry', weight: 50 }, { name: 'Scream', weight: 30 }, { name: 'Off', weight: 0 }]), 'Pastiche — Photo × Starry 63% + Scream 37%');
    assert.equal(nameResult('Photo', [{ name: 'Starry', weight: 1 }]), 'Pastiche — Photo × Starry');
  });

  it('builds the Photopea address with the plugin preloaded, passing on only the plugin\'s parameters', () => {
    const params = new URLSearchParams({ runner: 'http://127.0.0.1:7878', weights: 'https://x.example/m.json', timeout: '20', file: 'https://x.example/a.png', other: '1' });
    const plugin = pastichePlugin(new URL('https://me.example/pastiche/plugin.html'), new URL('https://me.example/pastiche/icon.svg'), params);
    const url = photopeaUrl({ plugins: [plugin], files: ['https://x.example/a.png'] });
    assert.ok(url.startsWith('https://www.photopea.com/#'));
    const config = JSON.parse(decodeURIComponent(url.slice(url.indexOf('#') + 1)));
    assert.deepEqual(config, {
      files: ['https://x.example/a.png'],
      environment: { plugins: [{ name: 'Pastiche', url: 'https://me.example/pastiche/plugin.html?runner=http%3A%2F%2F127.0.0.1%3A7878&weights=https%3A%2F%2Fx.example%2Fm.json&timeout=20', width: 320, height: 640, icon: '===https://me.example/pastiche/icon.svg' }] },
    });
  });

  it('explains Photopea\'s failures with what to do', () => {
    const context = { size: 512, runnerUrl: 'http://127.0.0.1:7878' };
    assert.deepEqual(explainRunError(new PhotopeaTimeoutError('Photopea did not answer (“read the layers”, 10 s). Is this panel open inside Photopea?', 'read the layers', 10_000), context).hint, 'Open this panel from Photopea: Window › Plugins, or the embed page.');
    assert.deepEqual(explainRunError(new PhotopeaScriptError('The layer “Photo” is no longer where it was (moved, renamed or deleted).', 'export a layer', 'layer-moved'), context).hint, 'The list is refreshed: check the layers and Stylize again.');
    assert.equal(explainRunError(new PhotopeaScriptError('boom', 'add the layer', 'script-error'), context).message, 'Photopea could not add the layer: boom');
  });

  it('refuses a document too large to export before asking Photopea for anything', async () => {
    let sent = 0;
    const client = { run: async () => (sent++, { value: null, buffers: [] }), dispose() {} } as never;
    const huge = { ...doc('huge.psd', [layer([0], 'Photo')]), width: 20_000, height: 10_000 };
    await assert.rejects(exportImage(client, huge, { path: [0], name: 'Photo' }, 512, '“Photo”'), { message: `“huge.psd” is 20000 × 10000 px (200 MP): Pastiche reads layers of documents up to ${MAX_DOCUMENT_PIXELS / 1e6} MP. Stylize a smaller copy (Image › Image Size).` });
    assert.equal(sent, 0);
  });

  it('keeps a record per result (newest first, one per layer, at most MAX_RESULT_RECORDS) and reads stored ones back, dropping what no longer reads', () => {
    const record = (layer: string, seed: number) => ({ document: 'a.psd', layer, settings: { preset: 'standard' as const, advanced: { seed } }, roles: { content: { path: [1], name: 'Photo' }, styles: [{ path: [2], name: 'Starry', weight: 50 }] }, presets: [{ id: 'the-scream', weight: 50 }] });
    let records = withResultRecord([], record('R1', 1));
    records = withResultRecord(records, record('R2', 2));
    records = withResultRecord(records, record('R1', 3));
    assert.deepEqual(records.map((r) => [r.layer, r.settings.advanced.seed]), [['R1', 3], ['R2', 2]]);
    assert.equal(findResultRecord(records, 'a.psd', 'R2')?.settings.advanced.seed, 2);
    assert.equal(findResultRecord(records, 'b.psd', 'R2'), undefined, 'another document');
    for (let i = 0; i < MAX_RESULT_RECORDS; i++) records = withResultRecord(records, record(`X${i}`, i));
    assert.equal(records.length, MAX_RESULT_RECORDS);
    const stored = JSON.parse(JSON.stringify([record('R1', 4), { ...record('R2', 5), presets: [{ id: 'gone', weight: 1 }] }, { ...record('R3', 1), settings: { advanced: { seed: -1 } } }, { layer: 'broken' }]));
    assert.deepEqual(readResultRecords(stored, defaultSettings()).map((r) => [r.layer, r.settings.advanced.seed ?? 'default', r.presets.length]), [['R1', 4, 1], ['R2', 5, 0], ['R3', 'default', 1]]);
    assert.deepEqual(readResultRecords('nonsense', defaultSettings()), []);
  });
});
