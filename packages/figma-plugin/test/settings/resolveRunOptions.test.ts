import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateOptions } from '@pastiche/core';
import { DEFAULT_SETTINGS } from '../../src/settings/defaultSettings.ts';
import { QUALITY_PRESETS, resolveRunOptions } from '@pastiche/web-bridge/settings';

test('each preset gives a valid request of its size; advanced fields override it', () => {
  for (const preset of ['preview', 'standard', 'high'] as const) {
    const options = resolveRunOptions({ ...DEFAULT_SETTINGS, preset });
    assert.equal(options.size, QUALITY_PRESETS[preset].options.size);
    assert.doesNotThrow(() => validateOptions(options));
  }
  assert.deepEqual(QUALITY_PRESETS.preview.options.size < QUALITY_PRESETS.standard.options.size, true);
  const custom = resolveRunOptions({ ...DEFAULT_SETTINGS, preset: 'standard', advanced: { size: 48, evaluations: 4, scales: 1, seed: 9 } });
  assert.deepEqual([custom.size, custom.evaluations, custom.scales, custom.seed], [48, 4, 1, 9]);
});

test('changing the number of scales spreads the preset’s budget over the new scales', () => {
  const options = resolveRunOptions({ ...DEFAULT_SETTINGS, preset: 'high', advanced: { scales: 1 } });
  assert.equal(options.evaluations, 240);
  assert.doesNotThrow(() => validateOptions(options));
});
