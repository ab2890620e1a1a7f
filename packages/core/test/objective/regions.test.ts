import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PasticheInputError } from '../../src/index.ts';
import type { ObjectiveSettings } from '../../src/engines/types.ts';
import { features } from '../../src/objective/objective.ts';
import { planObjective } from '../../src/plan/planObjective.ts';
import { stepsThrough } from '../../src/vgg/stepsThrough.ts';
import { styleRegions, type StyleTarget } from '../../src/objective/styleRegions.ts';
import { createFloat64Algebra, imageToF64 } from '../helpers/float64Algebra.ts';
import { assertGradientByFiniteDifferences } from '../helpers/finiteDifferences.ts';
import { BLOCK3_SETTINGS, randomVggImage as image } from '../helpers/objectiveSettings.ts';
import { sampleIndices, uniform } from '../helpers/random.ts';
import { relativeL2 } from '../helpers/reference.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { tiledReferenceObjective } from '../helpers/tiledReferenceObjective.ts';
import { realWeightsUpTo } from '../helpers/weights.ts';

/** A mask of grey values in [0, 1). */
const greyMask = (height: number, width: number, seed: number) => uniform(height * width, seed, 0, 1);
/** 1 on the left `share` of the columns, 0 elsewhere (or the complement). */
const halfMask = (height: number, width: number, left: boolean) => Float32Array.from({ length: height * width }, (_, i) => Number((i % width) < width / 2 === left));

describe('regions (guided Grams, Gatys et al. 2017) in the objective, in float64', () => {
  for (const [pooling, normalization] of [['max', 'scale-invariant'], ['avg', 'notebook']] as const) {
    it(`has the gradient its finite differences give with two masked styles, one everywhere and a content mask (${pooling}, ${normalization})`, async () => {
      const weights = await realWeightsUpTo('block3_conv3');
      const s: ObjectiveSettings = { ...BLOCK3_SETTINGS, pooling, normalization, ...(normalization === 'notebook' ? { contentWeight: 0.025, styleWeight: 5 } : {}) };
      const [height, width] = [13, 11];
      const content = image(height, width, 1);
      const styles = [
        { image: image(12, 14, 2), weight: 0.5, mask: greyMask(height, width, 10) },
        { image: image(9, 10, 3), weight: 0.3, mask: greyMask(height, width, 11) },
        { image: image(11, 11, 5), weight: 0.2 },
      ];
      const contentMask = greyMask(height, width, 12);
      const x = uniform(height * width * 3, 4, -100, 100);
      const { terms, gradient } = referenceObjective('vgg16', weights, s, content, styles, x, contentMask);
      assert.ok(terms.content > 0 && terms.style > 0 && terms.tv > 0);
      const total = (moved: Float64Array) => referenceObjective('vgg16', weights, s, content, styles, moved, contentMask).terms.total;
      await assertGradientByFiniteDifferences(total, x, gradient, sampleIndices(x.length, 8, 5), { h: 1e-3, absolute: 1e-5 * Math.abs(terms.total) / 1e2, relative: 1e-4 });
    });
  }

  it('computes the guided Gram as written: Σ_p m_p² F_p F_pᵀ / (positions · mean m²), the mask average-pooled to the layer', async () => {
    const weights = await realWeightsUpTo('block2_conv1');
    const layer = 'block2_conv1';
    const s: ObjectiveSettings = { ...BLOCK3_SETTINGS, contentWeight: 0, tvWeight: 0, styleWeight: 1, styleLayers: [layer], styleLayerWeights: [1], contentLayers: [layer] };
    const [height, width] = [10, 12];
    const mask = greyMask(height, width, 20);
    const style = image(10, 12, 2);
    const x = uniform(height * width * 3, 4, -100, 100);
    const { terms } = referenceObjective('vgg16', weights, s, image(height, width, 1), [{ image: style, weight: 1, mask }], x);

    // By hand, in plain loops: F at block2_conv1 (after one pool: 5×6), the mask pooled 2×2 to 5×6.
    const A = createFloat64Algebra(weights);
    const steps = stepsThrough('vgg16', [layer]);
    const F = features(A, steps, 'max', imageToF64(x, height, width)).get(layer)!;
    const S = features(A, steps, 'max', imageToF64(style.data, 10, 12)).get(layer)!;
    const [C, h, w] = [F.dims[1], 5, 6];
    const m = Array.from({ length: h * w }, (_, p) => {
      const [y, xx] = [Math.floor(p / w), p % w];
      return (mask[2 * y * width + 2 * xx] + mask[2 * y * width + 2 * xx + 1] + mask[(2 * y + 1) * width + 2 * xx] + mask[(2 * y + 1) * width + 2 * xx + 1]) / 4;
    });
    const area = m.reduce((a, v) => a + v * v, 0) / (h * w);
    let squares = 0;
    for (let i = 0; i < C; i++) {
      for (let j = 0; j < C; j++) {
        let [guided, target] = [0, 0];
        for (let p = 0; p < h * w; p++) {
          guided += m[p] * m[p] * F.data[i * h * w + p] * F.data[j * h * w + p];
          target += S.data[i * h * w + p] * S.data[j * h * w + p];
        }
        squares += (guided / (h * w * area) - Math.fround(target / (h * w))) ** 2;
      }
    }
    const expected = squares / (C * C);
    assert.ok(Math.abs(terms.style - expected) <= 1e-9 * expected, `style term ${terms.style}, by hand ${expected}`);
  });

  it('a mask of ones is no mask: the same terms and gradient as the unmasked run', async () => {
    const weights = await realWeightsUpTo('block3_conv3');
    const [height, width] = [12, 12];
    const content = image(height, width, 6);
    const ones = new Float32Array(height * width).fill(1);
    const [a, b] = [image(10, 13, 7), image(14, 9, 8)];
    const x = uniform(height * width * 3, 9, -100, 100);
    const compare = (label: string, masked: ReturnType<typeof referenceObjective>, unmasked: ReturnType<typeof referenceObjective>, tolerance: number) => {
      for (const term of ['content', 'style', 'tv'] as const) {
        const error = Math.abs(masked.terms[term] - unmasked.terms[term]) / unmasked.terms[term];
        assert.ok(error <= tolerance, `${label}, ${term}: masked ${masked.terms[term]} vs ${unmasked.terms[term]} (relative ${error})`);
      }
      const error = relativeL2(masked.gradient, unmasked.gradient);
      assert.ok(error <= tolerance, `${label}, gradient relative L2 ${error}`);
    };
    const run = (styles: Parameters<typeof referenceObjective>[4], contentMask?: Float32Array) => referenceObjective('vgg16', weights, BLOCK3_SETTINGS, content, styles, x, contentMask);
    compare('one style', run([{ image: a, weight: 1, mask: ones }], ones), run([{ image: a, weight: 1 }]), 1e-12);
    // Two regions against one blended target: the same loss, up to the blend's float32 target.
    compare('two styles', run([{ image: a, weight: 3, mask: ones }, { image: b, weight: 1 }]), run([{ image: a, weight: 3 }, { image: b, weight: 1 }]), 1e-7);
  });

  it('tiled with masks equals untiled with masks: each tile weighs the masks cut to it by its interior', async () => {
    const weights = await realWeightsUpTo('block2_conv2');
    const s: ObjectiveSettings = { ...BLOCK3_SETTINGS, styleLayers: ['block1_conv2', 'block2_conv2'], styleLayerWeights: [0.4, 0.6] };
    const [height, width] = [26, 23];
    const styles = [
      { image: image(20, 24, 2), weight: 0.6, mask: halfMask(height, width, true) },
      { image: image(25, 18, 3), weight: 0.4, mask: greyMask(height, width, 13) },
    ];
    const contentMask = greyMask(height, width, 14);
    const x = uniform(height * width * 3, 4, -100, 100);
    const untiled = referenceObjective('vgg16', weights, s, image(height, width, 1), styles, x, contentMask);
    for (const contentPerTile of [false, true]) {
      const tiled = await tiledReferenceObjective('vgg16', weights, s, image(height, width, 1), styles, x, 8, { contentMask, contentPerTile });
      const how = contentPerTile ? 'content targets per tile' : 'content targets kept';
      for (const term of ['content', 'style', 'tv'] as const) {
        const error = Math.abs(tiled.terms[term] - untiled.terms[term]) / Math.abs(untiled.terms[term]);
        assert.ok(error <= 1e-6, `${how}, ${term}: tiled ${tiled.terms[term]} vs ${untiled.terms[term]} (relative error ${error})`);
      }
      assert.ok(relativeL2(tiled.gradient, untiled.gradient) <= 1e-6, `${how}: gradient relative L2 ${relativeL2(tiled.gradient, untiled.gradient)}`);
    }
  });

  it('groups styles: the unmasked ones blended into one region everywhere, each masked one its own, weights shared over all', () => {
    const grams = (v: number) => new Map([['block1_conv1', Float32Array.of(v)]]);
    const mask = Float32Array.of(1, 0);
    const regions = styleRegions([
      { weight: 1, grams: grams(2) },
      { weight: 2, mask, grams: grams(5) },
      { weight: 0, mask, grams: grams(9) },
      { weight: 1, grams: grams(4) },
    ]);
    const gramOf = (t: StyleTarget) => ('gram' in t ? t.gram : Float32Array.of(NaN));
    assert.deepEqual(regions.map((r) => [r.mask, r.weight, gramOf(r.targets.get('block1_conv1')!)[0]]), [[undefined, 0.5, 3], [mask, 0.5, 5]]);
  });

  it('refuses a region whose mask has no area at a style layer, naming it', () => {
    const regions = styleRegions([{ weight: 1, mask: new Float32Array(16 * 16), grams: new Map([['block1_conv2', new Float32Array(64 * 64)]]) }]);
    assert.throws(() => planObjective('vgg16', { ...BLOCK3_SETTINGS, styleLayers: ['block1_conv2'], styleLayerWeights: [1] }, 16, 16, regions), (e: unknown) => e instanceof PasticheInputError && /region 1/.test(e.message) && /block1_conv2/.test(e.message));
  });
});
