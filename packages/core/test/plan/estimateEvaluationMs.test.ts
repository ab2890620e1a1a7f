import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateOptions } from '../../src/index.ts';
import { estimateEvaluationMs } from '../../src/plan/calibrateEvaluation.ts';
import { planScales } from '../../src/plan/planScales.ts';
import { objectiveSteps } from '../../src/plan/planObjective.ts';

describe('estimateEvaluationMs: a scale’s time per evaluation from the calibration', () => {
  const options = validateOptions({ size: 1024, styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'] });
  const steps = objectiveSteps(options);

  it('untiled: the calibrated time per pixel times the pixels', () => {
    const [plan] = planScales(options, [[768, 1024]]);
    assert.equal(estimateEvaluationMs(plan, 0.002, steps, options.contentLayers), 0.002 * 768 * 1024);
  });

  it('tiled: every tile’s pixels, halo included, at 5/3 of the untiled cost (two passes)', () => {
    const [plan] = planScales({ ...options, tileSize: 512 }, [[768, 1024]]);
    // 2 × 2 tiles of 384 × 512 interior, each reading a 20 px halo's worth on both sides (at the image's
    // border the read shifts inwards, so that every tile reads the same extent).
    assert.equal(plan.tiles, 4);
    const read = 4 * (384 + 40) * (512 + 40);
    const estimate = estimateEvaluationMs(plan, 0.002, steps, options.contentLayers);
    assert.ok(Math.abs(estimate - (0.002 * read * 5) / 3) < 1e-6, `${estimate}`);
  });

  it('tiles that compute their content targets: a forward pass to the content layers more in each pass, by its share of the multiply-adds', () => {
    const [plan] = planScales({ ...options, tileSize: 512 }, [[768, 1024]]);
    const read = 4 * (384 + 40) * (512 + 40);
    // Multiply-adds per input pixel to block2_conv2: 9·(3·64 + 64·64) + 9·(64·128 + 128·128)/4 = 93 888; to
    // block3_conv3 92 160 more (9·(128·256 + 2·256·256)/16). A forward pass is half an evaluation, twice.
    const contentForwards = 2 * 0.5 * (93888 / (93888 + 92160));
    assert.deepEqual(options.contentLayers, ['block2_conv2']);
    const estimate = estimateEvaluationMs({ ...plan, contentPerTile: true }, 0.002, steps, options.contentLayers);
    assert.ok(Math.abs(estimate - 0.002 * read * (5 / 3 + contentForwards)) < 1e-6, `${estimate}`);
  });
});
