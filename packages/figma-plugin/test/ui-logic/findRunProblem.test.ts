import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRunProblem } from '../../src/ui/run/findRunProblem.ts';
import { formatDuration, formatLoss } from '@pastiche/web-bridge/ui';
import { DEFAULT_SETTINGS } from '../../src/settings/defaultSettings.ts';

const node = (id: string) => ({ id, name: id, kind: 'FRAME', width: 10, height: 10, shape: false });
const ready = { selection: [node('a'), node('b')], ignored: 0, roles: { contentId: 'a', styles: [{ id: 'b', weight: 50 }], excluded: [] }, presets: [], fieldProblems: {}, settings: DEFAULT_SETTINGS, textureText: '' };

test('Stylize says why it cannot start, in plain words', () => {
  assert.equal(findRunProblem(ready), undefined);
  assert.match(findRunProblem({ ...ready, selection: [] })!, /^Nothing selected/);
  assert.match(findRunProblem({ ...ready, selection: [], ignored: 2 })!, /cannot be exported/);
  assert.match(findRunProblem({ ...ready, roles: { contentId: 'a', styles: [], excluded: [] } })!, /^Add a style/);
  assert.equal(findRunProblem({ ...ready, roles: { contentId: 'a', styles: [{ id: 'b', weight: 0 }], excluded: [] } }), undefined, 'a single style takes the whole style term');
  assert.match(findRunProblem({ ...ready, roles: { contentId: 'a', styles: [{ id: 'b', weight: 0 }, { id: 'c', weight: 0 }], excluded: [] } })!, /Every style weight is 0/);
  assert.equal(findRunProblem({ ...ready, roles: { contentId: 'a', styles: [], excluded: [] }, presets: [{ id: 'starry-night', weight: 50 }] }), undefined, 'a preset is a style');
  assert.match(findRunProblem({ ...ready, presets: [{ id: 'starry-night', weight: 0 }], roles: { contentId: 'a', styles: [{ id: 'b', weight: 0 }], excluded: [] } })!, /Every style weight is 0/);
  assert.match(findRunProblem({ ...ready, fieldProblems: { tvWeight: 'expected a number ≥ 0' } })!, /Fix “Smoothness \(TV\)” in Advanced first/);
});

test('with no content (the content made a style), Pattern paints a texture at the size typed; without Pattern it says how to get one', () => {
  const texture = { ...ready, roles: { contentId: null, styles: [{ id: 'a', weight: 50 }, { id: 'b', weight: 50 }], excluded: [] } };
  assert.equal(findRunProblem(texture), 'Choose the layer to paint (Use as content). Or turn on Pattern (in Advanced) to paint a seamless texture from the styles alone.');
  const pattern = { ...texture, settings: { ...DEFAULT_SETTINGS, advanced: { seamless: true } } };
  assert.equal(findRunProblem(pattern), undefined, 'empty: the run\'s size, square');
  assert.equal(findRunProblem({ ...pattern, textureText: '640x320' }), undefined);
  assert.equal(findRunProblem({ ...pattern, textureText: '640 by 320' }), 'Texture size: expected WxH in px (e.g. 512x512) or one side N, got "640 by 320".');
  assert.match(findRunProblem({ ...pattern, roles: { ...pattern.roles, styles: [] } })!, /^Add a style/);
});

test('durations and losses read naturally', () => {
  assert.deepEqual([800, 42_400, 185_000, 1_729_000, 3_570_000, 14_820_000, 7_199_000].map(formatDuration), ['0.8 s', '42 s', '3 min 5 s', '29 min', '1 h', '4 h 7 min', '2 h']);
  assert.deepEqual([33_800_000, 123.456, 0.001234].map(formatLoss), ['3.38e+7', '123', '1.23e-3']);
});
