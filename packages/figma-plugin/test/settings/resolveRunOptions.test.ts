import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateOptions } from '@pastiche/core';
import { DEFAULT_SETTINGS } from '../../src/settings/defaultSettings.ts';
import { QUALITY_PRESETS, resolveRunOptions } from '@pastiche/web-bridge/settings';

test('each preset gives a valid request of its size, Preview on the preview schedule, the others auto; advanced fields override it', () => {
  for (const preset of ['preview', 'standard', 'high'] as const) {
    const options = resolveRunOptions({ ...DEFAULT_SETTINGS, preset });
    assert.equal(options.size, QUALITY_PRESETS[preset].options.size);
    assert.equal(validateOptions(options).schedule, preset === 'preview' ? 'preview' : 'auto');
  }
  assert.deepEqual(QUALITY_PRESETS.preview.options.size < QUALITY_PRESETS.standard.options.size, true);
  const custom = resolveRunOptions({ ...DEFAULT_SETTINGS, preset: 'standard', advanced: { size: 48, evaluations: 4, scales: 1, seed: 9 } });
  assert.deepEqual([custom.size, custom.evaluations, custom.scales, custom.seed], [48, 4, 1, 9]);
});

test('scales or evaluations set in Advanced mean exactly that (the fixed schedule)', () => {
  const options = validateOptions(resolveRunOptions({ ...DEFAULT_SETTINGS, preset: 'high', advanced: { scales: 2 } }));
  assert.deepEqual([options.schedule, options.scaleSides, options.evaluations], ['fixed', [512, 1024], [200, 200]]);
  const preview = validateOptions(resolveRunOptions({ ...DEFAULT_SETTINGS, preset: 'preview', advanced: { evaluations: 30 } }));
  assert.deepEqual([preview.schedule, preview.scaleSides, preview.evaluations], ['fixed', [256], [30]], 'the Preview preset’s schedule gives way');
});

test('content weight 0 in Advanced paints a texture: from noise, unless a start is set (Refine); Pattern passes through', () => {
  const texture = resolveRunOptions({ ...DEFAULT_SETTINGS, advanced: { contentWeight: 0, seamless: true } });
  assert.deepEqual([texture.init, texture.seamless], ['random', true]);
  assert.equal(resolveRunOptions({ ...DEFAULT_SETTINGS, advanced: { contentWeight: 0, init: 'image' } }).init, 'image');
  assert.equal(resolveRunOptions({ ...DEFAULT_SETTINGS, advanced: { seamless: true } }).init, undefined, 'a pattern with content starts from the content');
});
