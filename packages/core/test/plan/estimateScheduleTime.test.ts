import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateScheduleTime, validateOptions } from '../../src/index.ts';
import { estimateTimeLeft, evaluationCosts, RUN_COSTS } from '../../src/plan/estimateScheduleTime.ts';
import { estimateEvaluationMs } from '../../src/plan/calibrateEvaluation.ts';
import { planScales } from '../../src/plan/planScales.ts';
import { objectiveSteps } from '../../src/plan/planObjective.ts';
import { scaleSizes } from '../../src/plan/scaleSizes.ts';

describe('estimateScheduleTime: the whole schedule’s time from an engine’s calibration', () => {
  const block3 = { model: 'vgg16' as const, throughLayer: 'block3_conv3', msPerPixel: 0.002 };

  // A scale of `evaluations` evaluations costs them, each with a run's overhead, and its set-up.
  const run = (evaluations: number) => evaluations * RUN_COSTS.perEvaluation + RUN_COSTS.setup;

  it('sums every scale’s time per evaluation times its budget and set-up; the auto schedule’s is an upper bound', () => {
    const options = validateOptions({ size: 512, styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'] });
    assert.deepEqual(options.scaleSides, [128, 256, 512]);
    const plans = planScales(options, scaleSizes(384, 512, options.scaleSides));
    const time = estimateScheduleTime(options, plans, block3);
    const steps = objectiveSteps(options);
    const expected = plans.map((p, i) => estimateEvaluationMs(p, 0.002, steps, options.contentLayers) * run(options.evaluations[i]));
    assert.deepEqual(time.perScaleMs, expected);
    assert.equal(time.ms, expected[0] + expected[1] + expected[2]);
    assert.equal(time.upperBound, true);
    // 40 × 128·96 + 40 × 256·192 + 60 × 512·384 pixels at 0.002 ms each, with the run's costs.
    assert.ok(Math.abs(time.ms - 0.002 * (run(40) * 128 * 96 + run(40) * 256 * 192 + run(60) * 512 * 384)) < 1e-6);
  });

  it('a fixed schedule’s time is no bound: every evaluation is made', () => {
    const options = validateOptions({ size: 256, evaluations: 30, styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'] });
    const time = estimateScheduleTime(options, planScales(options, [[256, 256]]), block3);
    assert.equal(time.upperBound, false);
    assert.ok(Math.abs(time.ms - 0.002 * 256 * 256 * run(30)) < 1e-6, `${time.ms}`);
  });

  it('prices a run of another depth by its share of the multiply-adds: full depth costs more than blocks 1–3', () => {
    const deep = validateOptions({ size: 256, evaluations: 10 });
    const shallow = validateOptions({ size: 256, evaluations: 10, styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'] });
    const [deepTime, shallowTime] = [deep, shallow].map((o) => estimateScheduleTime(o, planScales(o, [[256, 256]]), block3).ms);
    // Multiply-adds per input pixel: to block3_conv3 186,048; block 4 adds 9·(256·512 + 2·512·512)/64, block 5 the same over 256.
    const macs3 = 93888 + 92160;
    const macs5 = macs3 + (9 * (256 * 512 + 2 * 512 * 512)) / 64 + (9 * 3 * 512 * 512) / 256;
    assert.ok(Math.abs(deepTime / shallowTime - macs5 / macs3) < 1e-9, `${deepTime / shallowTime}`);
    // The same network as measured: the calibration as it is.
    assert.ok(Math.abs(shallowTime - 0.002 * 256 * 256 * run(10)) < 1e-6, `${shallowTime}`);
  });
});

describe('estimateTimeLeft: a running schedule’s ETA from its timed evaluations', () => {
  const setup = RUN_COSTS.setup / RUN_COSTS.perEvaluation;

  it('prices the rest of this scale at its pace, and later scales by their cost against this one’s, setup included', () => {
    // Scale 1 at evaluation 10 of 40, 100 ms each; scale 2 costs 8× scale 1 per evaluation.
    assert.ok(Math.abs(estimateTimeLeft([1, 4, 32], [40, 40, 30], 1, 10, 100) - (30 * 100 + 8 * 100 * (30 + setup))) < 1e-9);
    // At the last scale only its own budget is left, and nothing once it is spent (a scale may run past it).
    assert.equal(estimateTimeLeft([1, 4, 32], [40, 40, 30], 2, 25, 100), 500);
    assert.equal(estimateTimeLeft([1, 4, 32], [40, 40, 30], 2, 31, 100), 0);
  });

  it('prices a tiled final scale above its pixels: a 4096 px poster under a 16 GB budget', () => {
    const options = validateOptions({ size: 4096, maxMemory: '16GB' });
    const sizes = scaleSizes(3072, 4096, options.scaleSides);
    const plans = planScales(options, sizes);
    const [last, before] = [plans.length - 1, plans.length - 2];
    assert.ok(plans[last].tiles > 1 && plans[before].tiles === 1, `${plans[last].tiles} tiles at 4096 px, ${plans[before].tiles} at 2048 px`);
    const costs = evaluationCosts(options, plans);
    const pixels = sizes.map(([h, w]) => h * w);
    const perPixel = costs[last] / pixels[last] / (costs[before] / pixels[before]);
    assert.ok(perPixel > 1.6 && perPixel < 2.5, `a tiled evaluation costs ${perPixel}× an untiled one per pixel`);
    // At the 2048 px scale's first evaluation, the time left is its budget and the tiled scale's, priced by cost.
    const msPer2048 = 36_000;
    const left = estimateTimeLeft(costs, options.evaluations, before, 1, msPer2048);
    const expected = (options.evaluations[before] - 1) * msPer2048 + msPer2048 * (costs[last] / costs[before]) * (options.evaluations[last] + setup);
    assert.ok(Math.abs(left - expected) < 1e-6);
    const byPixels = (options.evaluations[before] - 1) * msPer2048 + (msPer2048 * options.evaluations[last] * pixels[last]) / pixels[before];
    assert.ok(left > 1.5 * byPixels, `${left} ms against ${byPixels} ms by pixels alone`);
  });
});
