import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PasticheInputError, validateOptions, validateRequest } from '../../src/index.ts';
import { COARSEST_BUDGET, FINE_BUDGETS, planSchedule, plateauStop, PLATEAU } from '../../src/plan/planSchedule.ts';
import { syntheticImage } from '../helpers/images.ts';

const BLOCK3 = { contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'] };

describe('planSchedule (the auto schedule)', () => {
  it('goes from 128 px up to the size by √2, most evaluations at the coarsest scale, fewest at the finest', () => {
    assert.deepEqual(planSchedule(512), { sides: [128, 181, 256, 362, 512], evaluations: [100, 60, 50, 40, 30], plateau: PLATEAU });
    const poster = planSchedule(4096);
    assert.deepEqual(poster.sides, [128, 181, 256, 362, 512, 724, 1024, 1448, 2048, 2896, 4096]);
    assert.deepEqual(poster.evaluations, [100, 60, 60, 60, 60, 60, 60, 60, 50, 40, 30]);
  });

  it('starts at half the size for results under 256 px, and paints one scale where no smaller one is allowed', () => {
    assert.deepEqual(planSchedule(128).sides, [64, 91, 128]);
    assert.deepEqual(planSchedule(200).sides, [100, 141, 200]);
    assert.deepEqual(planSchedule(16), { sides: [16], evaluations: [COARSEST_BUDGET], plateau: PLATEAU });
    assert.deepEqual(planSchedule(31).sides, [22, 31], 'no scale under 16 px');
  });

  it('leaves out the coarse sides at which the images would be too small', () => {
    assert.deepEqual(planSchedule(512, (side) => side >= 200).sides, [256, 362, 512]);
    assert.deepEqual(planSchedule(512, () => false), { sides: [512], evaluations: [COARSEST_BUDGET], plateau: PLATEAU });
  });

  it('gives the finest scales FINE_BUDGETS from the finest down', () => {
    const { evaluations } = planSchedule(2048);
    assert.deepEqual(evaluations.slice(-FINE_BUDGETS.length).reverse(), [...FINE_BUDGETS]);
    assert.equal(evaluations[0], COARSEST_BUDGET);
  });
});

describe('the schedule option', () => {
  it('is auto unless evaluations or scales are given; they mean exactly what they say', () => {
    const auto = validateOptions({ size: 512 });
    assert.deepEqual([auto.schedule, auto.scaleSides, auto.evaluations, auto.scales, auto.plateau], ['auto', [128, 181, 256, 362, 512], [100, 60, 50, 40, 30], 5, PLATEAU]);
    const fixed = validateOptions({ size: 512, schedule: 'fixed' });
    assert.deepEqual([fixed.schedule, fixed.scaleSides, fixed.evaluations, fixed.plateau], ['fixed', [512], [200], undefined]);
    const asked = validateOptions({ size: 512, evaluations: 80 });
    assert.deepEqual([asked.schedule, asked.scaleSides, asked.evaluations, asked.plateau], ['fixed', [512], [80], undefined]);
    const scales = validateOptions({ size: 500, scales: 3 });
    assert.deepEqual([scales.schedule, scales.scaleSides, scales.evaluations], ['fixed', [125, 250, 500], [200, 200, 200]]);
  });

  it('refuses auto with evaluations or scales, naming the field', () => {
    for (const extra of [{ evaluations: 10 }, { scales: 2 }]) {
      assert.throws(() => validateOptions({ schedule: 'auto', ...extra }), (error) => {
        assert.ok(error instanceof PasticheInputError);
        assert.equal(error.field, 'options.schedule');
        assert.match(error.problem, new RegExp(`leave out ${Object.keys(extra)[0]}`));
        return true;
      });
    }
    assert.throws(() => validateOptions({ schedule: 'sometimes' as 'auto' }), /options\.schedule/);
  });

  it('plans the images’ shapes: no coarse scale at which an elongated content or style would vanish', () => {
    const style = syntheticImage(40, 40, 2);
    const plan = (width: number, height: number, options = {}) => validateRequest({ content: syntheticImage(width, height, 1), styles: [{ image: style }], options }).options;
    // 17 × 900 through block 3 needs a short side of 4 px: 225 px (4.25) is the coarsest that has it.
    const strip = plan(900, 17, { size: 900, ...BLOCK3 });
    assert.deepEqual([strip.scaleSides, strip.evaluations], [[225, 318, 450, 636, 900], [100, 60, 50, 40, 30]]);
    // Through block 5 (16 px): at 900 px the short side is 17, at 636 it would be 12.
    assert.deepEqual(plan(17, 900, { size: 900 }).scaleSides, [900], 'a 17 × 900 portrait through block 5');
    assert.deepEqual(plan(513, 512, { size: 513 }).scaleSides, [128, 181, 256, 363, 513]);
    // A 4096 × 3072 result (its content given smaller: the run resizes it).
    assert.deepEqual(plan(400, 300, { size: 4096 }).scaleSides, planSchedule(4096).sides);
    const narrowStyle = validateRequest({ content: syntheticImage(64, 64, 1), styles: [{ image: syntheticImage(400, 10, 2) }], options: { size: 512, ...BLOCK3 } }).options;
    assert.equal(narrowStyle.scaleSides[0], 181, 'a 10 × 400 style at 128 px is 3 px high, at 181 px 5');
  });
});

describe('plateauStop', () => {
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
