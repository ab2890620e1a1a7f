import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateOptions } from '../../src/index.ts';
import { estimateEvaluationMs } from '../../src/plan/calibrateEvaluation.ts';
import { planScales, objectiveSteps } from '../../src/plan/planScales.ts';

describe('estimateEvaluationMs: a scale’s time per evaluation from the calibration', () => {
  const options = validateOptions({ size: 1024, styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'] });
  const steps = objectiveSteps(options);

  it('untiled: the calibrated time per pixel times the pixels', () => {
    const [plan] = planScales(options, [[768, 1024]]);
    assert.equal(estimateEvaluationMs(plan, 0.002, steps), 0.002 * 768 * 1024);
  });

  it('tiled: every tile’s pixels, halo included, at 5/3 of the untiled cost (two passes)', () => {
    const [plan] = planScales({ ...options, tileSize: 512 }, [[768, 1024]]);
    // 2 × 2 tiles of 384 × 512 interior, each reading a 20 px halo's worth on both sides (at the image's
    // border the read shifts inwards, so that every tile reads the same extent).
    assert.equal(plan.tiles, 4);
    const read = 4 * (384 + 40) * (512 + 40);
    assert.equal(estimateEvaluationMs(plan, 0.002, steps), (0.002 * read * 5) / 3);
  });
});
