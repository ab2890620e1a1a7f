import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectiveSettings } from '../../src/engines/types.ts';
import { blendStyleGrams } from '../../src/objective/blendStyleGrams.ts';
import { assertGradientByFiniteDifferences } from '../helpers/finiteDifferences.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { sampleIndices, uniform } from '../helpers/random.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { realWeightsUpTo } from '../helpers/weights.ts';


const image = randomVggImage;
const SETTINGS = BLOCK3_SETTINGS;

describe('the objective (objective.ts), in float64', () => {
  for (const [pooling, normalization] of [['max', 'scale-invariant'], ['avg', 'notebook']] as const) {
    it(`has the gradient its finite differences give (${pooling} pooling, ${normalization}, odd sizes, two styles)`, async () => {
      const weights = await realWeightsUpTo('block3_conv3');
      const s = { ...SETTINGS, pooling, normalization, ...(normalization === 'notebook' ? { contentWeight: 0.025, styleWeight: 5 } : {}) };
      const content = image(13, 11, 1);
      const styles = [{ image: image(12, 14, 2), weight: 0.6 }, { image: image(9, 10, 3), weight: 0.4 }];
      const x = uniform(13 * 11 * 3, 4, -100, 100);
      const { terms, gradient } = referenceObjective('vgg16', weights, s, content, styles, x);
      assert.ok(terms.content > 0 && terms.style > 0 && terms.tv > 0);
      const total = (moved: Float64Array) => referenceObjective('vgg16', weights, s, content, styles, moved).terms.total;
      await assertGradientByFiniteDifferences(total, x, gradient, sampleIndices(x.length, 8, 5), { h: 1e-3, absolute: 1e-5 * Math.abs(terms.total) / 1e2, relative: 1e-4 });
    });
  }

  it('blends styles exactly: the blended target plus its constant equals the weighted sum of the single-style losses', async () => {
    const weights = await realWeightsUpTo('block3_conv3');
    const s = { ...SETTINGS, contentWeight: 0, tvWeight: 0 };
    const content = image(12, 12, 6);
    const [a, b] = [image(10, 13, 7), image(14, 9, 8)];
    const x = uniform(12 * 12 * 3, 9, -100, 100);
    const blended = referenceObjective('vgg16', weights, s, content, [{ image: a, weight: 3 }, { image: b, weight: 1 }], x).terms.style;
    const single = (style: typeof a) => referenceObjective('vgg16', weights, s, content, [{ image: style, weight: 1 }], x).terms.style;
    // Targets are stored in float32: equal to its rounding.
    const expected = 0.75 * single(a) + 0.25 * single(b);
    assert.ok(Math.abs(blended - expected) <= 1e-7 * expected, `blended ${blended}, weighted singles ${expected}`);
  });

  it('blendStyleGrams: weighted mean and the constant Σ w‖A‖² − ‖Ā‖², by hand', () => {
    const { gram, constant } = blendStyleGrams([Float32Array.of(1, 2, 2, 5), Float32Array.of(3, 0, 0, 1)], [1, 3]);
    assert.deepEqual([...gram], [2.5, 0.5, 0.5, 2]);
    // 0.25·(1+4+4+25) + 0.75·(9+0+0+1) − (6.25+0.25+0.25+4) = 8.5 + 7.5 − 10.75
    assert.ok(Math.abs(constant - 5.25) < 1e-12);
  });

  it('total variation by hand: t·Σ((x_i,j − x_i+1,j)² + (x_i,j − x_i,j+1)²)^1.25 over i < H−1, j < W−1', async () => {
    const weights = await realWeightsUpTo('block1_conv1');
    const s = { ...SETTINGS, contentLayers: ['block1_conv1'], styleLayers: ['block1_conv1'], styleLayerWeights: [1], contentWeight: 0, styleWeight: 0, normalization: 'notebook' as const };
    // A 2×3 image: only the first channel varies. Windows (0,0) and (0,1): a = x00 − x10, b = x00 − x01.
    const x = new Float32Array(2 * 3 * 3);
    const set = (y: number, xx: number, v: number) => (x[(y * 3 + xx) * 3] = v);
    set(0, 0, 1); set(0, 1, 3); set(0, 2, 0); set(1, 0, 0); set(1, 1, 1); set(1, 2, 5);
    const expected = ((1 - 0) ** 2 + (1 - 3) ** 2) ** 1.25 + ((3 - 1) ** 2 + (3 - 0) ** 2) ** 1.25;
    const { terms } = referenceObjective('vgg16', weights, s, image(2, 3, 1), [{ image: image(2, 3, 2), weight: 1 }], x);
    assert.ok(Math.abs(terms.tv - expected) < 1e-9 * expected, `tv ${terms.tv}, expected ${expected}`);
  });
});
