import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN_COSTS } from '@pastiche/core';
import { describeRunTime, estimateRunTime, IN_PAGE_LIMITS } from '../src/settings/estimateRunTime.ts';

const calibration = { model: 'vgg16' as const, throughLayer: 'block5_conv3', msPerPixel: 0.05 };
// A scale of `evaluations` evaluations costs them, each with a run's overhead, and its set-up (the core's estimateScheduleTime).
const run = (evaluations: number) => evaluations * RUN_COSTS.perEvaluation + RUN_COSTS.setup;
const settings = (preset: 'preview' | 'standard' | 'high', advanced = {}) => ({ preset, advanced });

test('a preset’s whole schedule: the preview schedule is 40 evaluations at 128 px and 20 at 256, an upper bound', () => {
  const time = estimateRunTime(settings('preview'), calibration, IN_PAGE_LIMITS)!;
  assert.equal(time.upperBound, true);
  // Square content, as the memory estimate assumes; full depth, as calibrated.
  assert.ok(Math.abs(time.ms - 0.05 * (run(40) * 128 * 128 + run(20) * 256 * 256)) < 1e-6, `${time.ms}`);
  const high = estimateRunTime(settings('high'), calibration, IN_PAGE_LIMITS)!;
  assert.ok(high.ms > 10 * time.ms, `${high.ms} / ${time.ms}`);
});

test('evaluations set in Advanced: exactly those, no bound; settings that cannot be planned: no estimate', () => {
  const fixed = estimateRunTime(settings('preview', { size: 64, evaluations: 10 }), calibration)!;
  assert.ok(Math.abs(fixed.ms - 0.05 * 64 * 64 * run(10)) < 1e-6, `${fixed.ms}`);
  assert.equal(fixed.upperBound, false);
  assert.equal(estimateRunTime(settings('preview', { styleLayers: ['block9_conv1'] }), calibration), undefined);
});

test('in plain words, the page’s and the runner’s, or what is being timed', () => {
  const bound = (ms: number) => ({ ms, perScaleMs: [ms], upperBound: true });
  assert.equal(describeRunTime({ inPage: bound(40_000), runner: bound(8_000) }, 'the plugin'), 'At most about 40 s in the plugin, 8.0 s on the runner.');
  assert.equal(describeRunTime({ inPage: { ms: 65_000, perScaleMs: [65_000], upperBound: false } }, 'this panel'), 'About 1 min 5 s in this panel.');
  assert.equal(describeRunTime({ inPage: 'measuring', runner: bound(8_000) }, 'the plugin'), 'At most about 8.0 s on the runner. Timing the plugin’s engine…');
  assert.equal(describeRunTime({ inPage: 'measuring' }, 'the plugin'), 'Timing the plugin’s engine…');
  assert.equal(describeRunTime({ inPage: 'after-run' }, 'the plugin'), 'Timing the plugin’s engine after this run.');
  assert.equal(describeRunTime({ inPage: 'after-run', runner: bound(8_000) }, 'the plugin'), 'At most about 8.0 s on the runner. Timing the plugin’s engine after this run.');
  assert.equal(describeRunTime({}, 'the plugin'), '');
});
