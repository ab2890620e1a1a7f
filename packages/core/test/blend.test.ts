import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  computeTargets,
  disposeTargets,
  lossTerms,
  NORMALIZATIONS,
  stylize,
  type Engine,
  type LossSettings,
  type StylizeOptions,
  type VggFeatureExtractor,
} from '../src/index.ts';
import { blendStyleTargets } from '../src/losses/styleLoss.ts';
import { useBackend } from './helpers/backend.ts';
import { exampleImages, smallRealExtractor, SMALL_RUN, type ExampleImages } from './helpers/fixtures.ts';
import { vggTensor } from './helpers/vggTensor.ts';
import { createTfjsEngineFromExtractor } from '../src/index.ts';
import { uniform } from './helpers/random.ts';
import { gram, hostTensor, isClose, sumSquaredDifference } from './helpers/reference.ts';

describe('multi-style blend', () => {
  let extractor: VggFeatureExtractor;
  let engine: Engine;
  let images: ExampleImages;

  before(async () => {
    await useBackend('wasm');
    extractor = await smallRealExtractor();
    engine = createTfjsEngineFromExtractor(extractor);
    images = await exampleImages(96);
  });
  after(() => engine.dispose());

  const run = (styles: Array<{ image: ExampleImages[keyof ExampleImages]; weight?: number }>, options: StylizeOptions = {}) =>
    stylize(engine, { content: images.tubingen, styles, options: { ...SMALL_RUN, ...options } });

  it('styles [A weight 1, B weight 0] give exactly the image and losses of [A] alone; [A 1, B 1] does not', async () => {
    const alone = await run([{ image: images.starryNight }]);
    const withZero = await run([
      { image: images.starryNight, weight: 1 },
      { image: images.scream, weight: 0 },
    ]);
    assert.equal(withZero.stats.evaluations, alone.stats.evaluations);
    assert.deepEqual(withZero.stats.loss, alone.stats.loss);
    assert.deepEqual(withZero.image, alone.image);

    // The same comparison is sensitive: giving B a weight changes the result.
    const blended = await run([
      { image: images.starryNight, weight: 1 },
      { image: images.scream, weight: 1 },
    ]);
    assert.notDeepEqual(blended.stats.loss, alone.stats.loss);
    assert.notDeepEqual(Array.from(blended.image.data), Array.from(alone.image.data));
  });

  it('blend weights are relative: [A 3] is [A 1], and [A 2, B 6] is [A 1, B 3]', async () => {
    const one = await run([{ image: images.starryNight, weight: 1 }], { evaluations: 3 });
    const three = await run([{ image: images.starryNight, weight: 3 }], { evaluations: 3 });
    assert.deepEqual(three.stats.loss, one.stats.loss);
    assert.deepEqual(three.image, one.image);
    const a = await run([{ image: images.starryNight, weight: 1 }, { image: images.scream, weight: 3 }], { evaluations: 3 });
    const b = await run([{ image: images.starryNight, weight: 2 }, { image: images.scream, weight: 6 }], { evaluations: 3 });
    for (const term of ['total', 'content', 'style', 'tv'] as const) {
      assert.ok(isClose(b.stats.loss[term], a.stats.loss[term], 1e-5), `${term}: ${b.stats.loss[term]} vs ${a.stats.loss[term]}`);
    }
  });

  it('through computeTargets and lossTerms, the style term of styles [A 3, B 1] is ¾ of A’s alone plus ¼ of B’s alone', async () => {
    const settings: LossSettings = {
      extractor,
      pooling: 'max',
      normalization: NORMALIZATIONS['scale-invariant'],
      contentLayers: ['block2_conv2'],
      styleLayers: ['block1_conv2', 'block2_conv2'],
      styleLayerWeights: [0.4, 0.6],
      contentWeight: 1,
      styleWeight: 1,
      tvWeight: 1,
    };
    const vgg = (image: ExampleImages[keyof ExampleImages]) => vggTensor(image, 24, 32);
    const [content, a, b] = [vgg(images.tubingen), vgg(images.starryNight), vgg(images.scream)];
    const combination = tf.tidy(() => tf.add(tf.mul(content, 0.5), tf.mul(a, 0.5)) as tf.Tensor4D);
    const styleTerm = async (styles: Array<{ image: tf.Tensor4D; weight: number }>) => {
      const targets = await computeTargets(content, styles, settings);
      const s = tf.tidy(() => lossTerms(combination, targets, settings).style);
      const [value] = await s.data();
      s.dispose();
      disposeTargets(targets);
      return value;
    };
    const onlyA = await styleTerm([{ image: a, weight: 1 }]);
    const onlyB = await styleTerm([{ image: b, weight: 1 }]);
    const both = await styleTerm([
      { image: a, weight: 3 },
      { image: b, weight: 1 },
    ]);
    tf.dispose([content, a, b, combination]);
    assert.ok(onlyB > 1.5 * onlyA, `the combination (half A) is closer to A (${onlyA}) than to B (${onlyB})`);
    const expected = 0.75 * onlyA + 0.25 * onlyB;
    assert.ok(isClose(both, expected, 1e-4), `blended ${both}, expected ${expected}`);
  });

  it('blendStyleTargets: ‖G − Ā‖² + constant = Σ_s w̄_s ‖G − A_s‖², computed directly on the host', async () => {
    await useBackend('cpu');
    try {
      const c = 4;
      // Gram matrices of random features: symmetric, positive semi-definite, of different sizes.
      const features = [11, 12, 13, 14].map((seed, i) => hostTensor(uniform((3 + i) * 5 * c, seed, -1, 2), 3 + i, 5, c));
      const [g, ...styleGrams] = features.map((f) => Float32Array.from(gram(f)));
      const weights = [0.5, 2, 1.5];
      const target = await blendStyleTargets(
        styleGrams.map((a) => tf.tensor2d(a, [c, c])),
        weights,
      );
      const viaTarget = tf.tidy(() => tf.add(tf.sum(tf.squaredDifference(tf.tensor2d(g, [c, c]), target.gram)), target.constant));
      const [actual] = await viaTarget.data();
      tf.dispose([viaTarget, target.gram]);
      const direct = styleGrams.reduce((sum, a, s) => sum + (weights[s] / 4) * sumSquaredDifference(g, a), 0);
      assert.ok(isClose(actual, direct, 1e-5), `through the blended target ${actual}, direct ${direct}`);
      // The constant is what makes it exact: without it the value is too small.
      assert.ok(target.constant > 0.01 * direct, `constant ${target.constant}`);
    } finally {
      await useBackend('wasm');
    }
  });
});
