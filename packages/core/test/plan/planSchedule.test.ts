import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PasticheInputError, validateOptions, validateRequest } from '../../src/index.ts';
import { COARSE_BUDGET, FINEST_BUDGET, finestBudget, LARGE_SIDE, planSchedule, plateauStop, PLATEAU, PREVIEW_FINEST_BUDGET } from '../../src/plan/planSchedule.ts';
import { syntheticImage } from '../helpers/images.ts';

const BLOCK3 = { contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'] };

describe('planSchedule (the auto schedule)', () => {
  it('goes from 128–256 px up to the size by halves, COARSE_BUDGET at each coarse scale, FINEST_BUDGET at the finest', () => {
    assert.deepEqual(planSchedule(512), { sides: [128, 256, 512], evaluations: [COARSE_BUDGET, COARSE_BUDGET, FINEST_BUDGET], plateau: PLATEAU });
    const poster = planSchedule(4096);
    assert.deepEqual(poster.sides, [128, 256, 512, 1024, 2048, 4096]);
    assert.deepEqual(poster.evaluations, [40, 40, 40, 40, 40, 30]);
    assert.deepEqual(planSchedule(900).sides, [225, 450, 900]);
    assert.deepEqual(planSchedule(513).sides, [128, 257, 513]);
  });

  it('gives the finest scale FINEST_BUDGET up to LARGE_SIDE, then a budget shrinking as 1/√size, never under the preview’s', () => {
    assert.equal(LARGE_SIDE, 1024);
    assert.deepEqual(planSchedule(1024).evaluations, [40, 40, 40, FINEST_BUDGET]);
    assert.deepEqual(planSchedule(2048).evaluations, [40, 40, 40, 40, 42]);
    assert.deepEqual(planSchedule(1500), { sides: [188, 375, 750, 1500], evaluations: [40, 40, 40, 50], plateau: PLATEAU }, 'an odd size: 60·√(1024/1500) ≈ 49.6');
    assert.deepEqual([finestBudget(1025), finestBudget(8192), finestBudget(16384)], [60, 21, PREVIEW_FINEST_BUDGET]);
    assert.deepEqual([finestBudget(4096, 'preview'), finestBudget(300, 'preview')], [PREVIEW_FINEST_BUDGET, PREVIEW_FINEST_BUDGET]);
    // An elongated poster: the sides follow its longest side, a coarse side too small for its short side is left out.
    const strip = validateRequest({ content: syntheticImage(2048, 40, 3), styles: [{ image: syntheticImage(64, 64, 3) }], options: { size: 2048, ...BLOCK3 } }).options;
    assert.deepEqual(strip.scaleSides, [256, 512, 1024, 2048], 'its 40 px short side is 2.5 px at 128 px: too thin for block 3');
    assert.equal(strip.evaluations.at(-1), 42);
    assert.deepEqual(validateOptions({ size: 4096, init: 'image' }).evaluations, [30], 'a refine at poster size: the same finest budget');
  });

  it('starts at half the size for results under 256 px, and paints one scale where no smaller one is allowed', () => {
    assert.deepEqual(planSchedule(128).sides, [64, 128]);
    assert.deepEqual(planSchedule(200).sides, [100, 200]);
    assert.deepEqual(planSchedule(40).sides, [20, 40]);
    assert.deepEqual(planSchedule(31), { sides: [31], evaluations: [FINEST_BUDGET], plateau: PLATEAU }, 'no scale under 16 px');
  });

  it('preview: the same scales, PREVIEW_FINEST_BUDGET at the finest', () => {
    assert.deepEqual(planSchedule(256, undefined, 'preview'), { sides: [128, 256], evaluations: [COARSE_BUDGET, PREVIEW_FINEST_BUDGET], plateau: PLATEAU });
    assert.deepEqual(planSchedule(300, (side) => side > 150, 'preview').evaluations, [PREVIEW_FINEST_BUDGET]);
    assert.ok(PREVIEW_FINEST_BUDGET < FINEST_BUDGET);
  });

  it('leaves out the coarse sides at which the images would be too small', () => {
    assert.deepEqual(planSchedule(512, (side) => side >= 200).sides, [256, 512]);
    assert.deepEqual(planSchedule(512, () => false), { sides: [512], evaluations: [FINEST_BUDGET], plateau: PLATEAU });
  });
});

describe('the schedule option', () => {
  it('is auto unless evaluations or scales are given; they mean exactly what they say', () => {
    const auto = validateOptions({ size: 512 });
    assert.deepEqual([auto.schedule, auto.scaleSides, auto.evaluations, auto.scales, auto.plateau], ['auto', [128, 256, 512], [40, 40, 60], 3, PLATEAU]);
    const fixed = validateOptions({ size: 512, schedule: 'fixed' });
    assert.deepEqual([fixed.schedule, fixed.scaleSides, fixed.evaluations, fixed.plateau], ['fixed', [512], [200], undefined]);
    const asked = validateOptions({ size: 512, evaluations: 80 });
    assert.deepEqual([asked.schedule, asked.scaleSides, asked.evaluations, asked.plateau], ['fixed', [512], [80], undefined]);
    const scales = validateOptions({ size: 500, scales: 3 });
    assert.deepEqual([scales.schedule, scales.scaleSides, scales.evaluations], ['fixed', [125, 250, 500], [200, 200, 200]]);
  });

  it('refining an image (init "image") is one full-size scale: a coarse scale would throw its detail away', () => {
    const refine = validateOptions({ size: 512, init: 'image' });
    assert.deepEqual([refine.scaleSides, refine.evaluations, refine.plateau], [[512], [FINEST_BUDGET], PLATEAU]);
    const image = syntheticImage(64, 48, 3);
    const resolved = validateRequest({ content: image, styles: [{ image }], initImage: image, options: { size: 256, init: 'image' } }).options;
    assert.deepEqual(resolved.scaleSides, [256], 'also once the images are known');
    assert.deepEqual(validateOptions({ size: 512, init: 'image', scales: 2, evaluations: 5 }).scaleSides, [256, 512], 'a fixed schedule is what it says');
    assert.deepEqual(validateOptions({ size: 256, init: 'image', schedule: 'preview' }).evaluations, [PREVIEW_FINEST_BUDGET], 'preview: its own budget');
  });

  it('preview plans like auto, with its own budgets', () => {
    const preview = validateOptions({ size: 256, schedule: 'preview' });
    assert.deepEqual([preview.schedule, preview.scaleSides, preview.evaluations, preview.plateau], ['preview', [128, 256], [COARSE_BUDGET, PREVIEW_FINEST_BUDGET], PLATEAU]);
  });

  it('refuses auto or preview with evaluations or scales, naming the field', () => {
    for (const schedule of ['auto', 'preview'] as const) {
      for (const extra of [{ evaluations: 10 }, { scales: 2 }]) {
        assert.throws(() => validateOptions({ schedule, ...extra }), (error) => {
          assert.ok(error instanceof PasticheInputError);
          assert.equal(error.field, 'options.schedule');
          assert.match(error.problem, new RegExp(`^${schedule} chooses .* leave out ${Object.keys(extra)[0]}`));
          return true;
        });
      }
    }
    assert.throws(() => validateOptions({ schedule: 'sometimes' as 'auto' }), /options\.schedule/);
  });

  it('plans the images’ shapes: no coarse scale at which an elongated content or style would vanish', () => {
    const style = syntheticImage(40, 40, 2);
    const plan = (width: number, height: number, options = {}) => validateRequest({ content: syntheticImage(width, height, 1), styles: [{ image: style }], options }).options;
    // 900 × 17 through block 3 needs a short side of 4 px: 225 px (4.25) has it.
    const strip = plan(900, 17, { size: 900, ...BLOCK3 });
    assert.deepEqual([strip.scaleSides, strip.evaluations], [[225, 450, 900], [40, 40, 60]]);
    // Through block 5 (16 px): at 900 px the short side is 17, at 450 it would be 8.
    assert.deepEqual(plan(17, 900, { size: 900 }).scaleSides, [900], 'a 17 × 900 portrait through block 5');
    assert.deepEqual(plan(513, 512, { size: 513 }).scaleSides, [128, 257, 513]);
    // A 4096 × 3072 result (its content given smaller: the run resizes it).
    assert.deepEqual(plan(400, 300, { size: 4096 }).scaleSides, planSchedule(4096).sides);
    const narrowStyle = validateRequest({ content: syntheticImage(64, 64, 1), styles: [{ image: syntheticImage(400, 10, 2) }], options: { size: 512, ...BLOCK3 } }).options;
    assert.deepEqual(narrowStyle.scaleSides, [256, 512], 'a 400 × 10 style is 3 px high at 128 px, 6 px at 256');
  });
});

describe('plateauStop', () => {
  it('stops a run whose loss is flat', () => {
    const rule = plateauStop(PLATEAU);
    // A measured run: Tübingen × The Starry Night, 128 px, one scale, 200 evaluations, real VGG16 blocks 1–3,
    // onnx-cpu; its lowest loss after every 10th evaluation (docs/schedule.md), joined by straight lines.
    const measured = [2218836, 649280, 489663, 418769, 382373, 363769, 349102, 340424, 333852, 328561, 324610, 321920, 319355, 317215, 315467, 314042, 312802, 311621, 310623, 309743];
    // best[i]: after evaluation 10 + i.
    const best = Array.from({ length: 191 }, (_, i) => {
      const [k, t] = [Math.floor(i / 10), (i % 10) / 10];
      return measured[k] + t * ((measured[k + 1] ?? measured[k]) - measured[k]);
    });
    const stopsAt = best.findIndex((_, i) => rule(best.slice(0, i + 1))) + 10;
    // Still falling 1.6 % per 10 evaluations at the 100th; under 0.5 % from about the 155th, within 2 % of the 200th's loss.
    assert.ok(stopsAt > 100 && stopsAt <= 160, `stopped after ${stopsAt} evaluations`);
    assert.ok(best[stopsAt - 10] / measured[19] < 1.02);
    // A loss that does not move at all ends after window + 1 evaluations.
    const flat = Array(30).fill(5e5);
    assert.equal(flat.findIndex((_, i) => rule(flat.slice(0, i + 1))) + 1, PLATEAU.window + 1);
  });

  const rule = plateauStop({ window: 3, minImprovement: 0.01 });
  it('stops once the best loss fell by less than minImprovement over the window', () => {
    assert.equal(rule([100, 100, 100]), false, 'not before window + 1 evaluations');
    assert.equal(rule([100, 100, 100, 100]), true);
    assert.equal(rule([100, 95, 90, 89.5, 89.2]), false, 'the window reaches back to 95: 6.5 %');
    assert.equal(rule([100, 95, 90, 89.5, 89.2, 89.1]), false, '90 → 89.1 is 1.01 %');
    assert.equal(rule([100, 95, 90, 89.5, 89.2, 89.1, 89]), true, '89.5 → 89 is 0.56 %');
    assert.equal(rule([100, 99.5, 99.2, 99.1]), true, '0.9 % over 3 evaluations');
  });
});
