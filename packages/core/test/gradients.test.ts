import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  computeTargets,
  createConvRelu,
  createVggFeatureExtractor,
  disposeTargets,
  gramMatrix,
  lossTerms,
  NORMALIZATIONS,
  type LossSettings,
  type Targets,
  type VggFeatureExtractor,
} from '../src/index.ts';
import { contentLoss } from '../src/losses/contentLoss.ts';
import { pool2x2 } from '../src/ops/pool2x2.ts';
import { useBackend, type BackendName } from './helpers/backend.ts';
import { syntheticImage } from './helpers/images.ts';
import { sampleIndices, uniform } from './helpers/random.ts';
import { maxAbs } from './helpers/reference.ts';
import { vggTensor } from './helpers/vggTensor.ts';
import { realWeightsUpTo } from './helpers/weights.ts';

const BACKENDS: BackendName[] = ['cpu', 'wasm'];

/** Elementwise |a − b| ≤ atol + rtol·|b|, reporting the worst element. */
function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (excess > worstExcess) [worst, worstExcess] = [i, excess];
  }
  assert.ok(worst < 0, `${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol}, atol ${atol})`);
}

for (const backend of BACKENDS) {
  describe(`custom gradients equal the stock tfjs gradients (${backend})`, () => {
    before(() => useBackend(backend));

    for (const [label, inC, outC, kh, kw, h, w] of [
      ['3×3, 5→7 channels, 6×9 input', 5, 7, 3, 3, 6, 9],
      ['3×3, 3→4 channels, odd 7×5 input', 3, 4, 3, 3, 7, 5],
      ['5×3 kernel', 2, 3, 5, 3, 6, 6],
    ] as const) {
      it(`createConvRelu (${label}): same values, and the same input gradient as relu(conv2d(x, k, 1, 'same') + b)`, async () => {
        const before = tf.memory().numTensors;
        const x = tf.tensor4d(uniform(h * w * inC, 1, -1, 1), [1, h, w, inC]);
        const kernel = tf.tensor4d(uniform(kh * kw * inC * outC, 2, -0.5, 0.5), [kh, kw, inC, outC]);
        // Biases around 0, so that a good share of the units are cut by the ReLU and its mask matters.
        const bias = tf.tensor1d(uniform(outC, 3, -0.3, 0.3));
        // A non-uniform upstream gradient, so that every output element weighs differently.
        const dy = tf.tensor4d(uniform(h * w * outC, 4, -1, 1), [1, h, w, outC]);
        const conv = createConvRelu(kernel.clone(), bias.clone());

        const stock = (input: tf.Tensor4D) => tf.relu(tf.add(tf.conv2d(input, kernel, 1, 'same'), bias)) as tf.Tensor4D;
        const [ours, reference] = [conv.apply(x), tf.tidy(() => stock(x))];
        const values = await ours.data();
        assertAllClose(values, await reference.data(), 1e-5, 1e-5, 'forward');
        const zeros = Array.from(values).filter((v) => v === 0).length;
        assert.ok(zeros > values.length / 10 && zeros < values.length * 0.9, `the ReLU cuts ${zeros} of ${values.length} units`);

        const gOurs = tf.grad((input) => tf.sum(tf.mul(conv.apply(input as tf.Tensor4D), dy)))(x);
        const gStock = tf.grad((input) => tf.sum(tf.mul(stock(input as tf.Tensor4D), dy)))(x);
        const expected = await gStock.data();
        assert.ok(maxAbs(expected) > 0.1);
        assertAllClose(await gOurs.data(), expected, 1e-4, 1e-5, 'input gradient');

        tf.dispose([x, kernel, bias, dy, ours, reference, gOurs, gStock]);
        conv.dispose();
        assert.equal(tf.memory().numTensors, before, 'dispose() releases the kernel, bias and flipped kernel');
      });
    }

    it('createConvRelu refuses an even kernel (its flipped-kernel gradient would be wrong)', () => {
      const kernel = tf.zeros([2, 3, 1, 1]) as tf.Tensor4D;
      const bias = tf.zeros([1]) as tf.Tensor1D;
      assert.throws(() => createConvRelu(kernel, bias), /2×3/);
      tf.dispose([kernel, bias]);
    });

    for (const pooling of ['max', 'avg'] as const) {
      it(`pool2x2 (${pooling}): same values and the same input gradient as tf.${pooling}Pool(x, 2, 2, 'valid'), odd sizes included`, async () => {
        const before = tf.memory().numTensors;
        const x = tf.tensor4d(uniform(7 * 6 * 3, 8, -1, 1), [1, 7, 6, 3]);
        const dy = tf.tensor4d(uniform(3 * 3 * 3, 9, -1, 1), [1, 3, 3, 3]);
        const stock = (input: tf.Tensor4D) => (pooling === 'max' ? tf.maxPool(input, 2, 2, 'valid') : tf.avgPool(input, 2, 2, 'valid'));
        const [ours, reference] = [pool2x2(x, pooling), stock(x)];
        assertAllClose(await ours.data(), await reference.data(), 0, 0, 'forward');
        const gOurs = tf.grad((input) => tf.sum(tf.mul(pool2x2(input as tf.Tensor4D, pooling), dy)))(x);
        const gStock = tf.grad((input) => tf.sum(tf.mul(stock(input as tf.Tensor4D), dy)))(x);
        assertAllClose(await gOurs.data(), await gStock.data(), 1e-6, 1e-7, 'input gradient');
        tf.dispose([x, dy, ours, reference, gOurs, gStock]);
        assert.equal(tf.memory().numTensors, before);
      });
    }

    it('contentLoss: same value and the same gradient as factor · sum(squaredDifference(F, P))', async () => {
      const features = tf.tensor4d(uniform(4 * 5 * 3, 10, -2, 2), [1, 4, 5, 3]);
      const target = tf.tensor4d(uniform(4 * 5 * 3, 11, -2, 2), [1, 4, 5, 3]);
      const stock = (f: tf.Tensor4D) => tf.mul(tf.sum(tf.squaredDifference(f, target)), 0.3) as tf.Scalar;
      const [ours, reference] = [contentLoss(features, target, 0.3), stock(features)];
      assertAllClose(await ours.data(), await reference.data(), 1e-6, 0, 'value');
      const gOurs = tf.grad((f) => tf.mul(contentLoss(f as tf.Tensor4D, target, 0.3), 1.7))(features);
      const gStock = tf.grad((f) => tf.mul(stock(f as tf.Tensor4D), 1.7))(features);
      assertAllClose(await gOurs.data(), await gStock.data(), 1e-6, 1e-7, 'gradient');
      tf.dispose([features, target, ours, reference, gOurs, gStock]);
    });

    it('gramMatrix: same value and the same gradient as matMul(F, F, true, false) for a non-symmetric upstream gradient', async () => {
      const [h, w, c] = [3, 5, 6];
      const features = tf.tensor4d(uniform(h * w * c, 5, -2, 2), [1, h, w, c]);
      const dG = tf.tensor2d(uniform(c * c, 6, -1, 1), [c, c]); // not symmetric
      const stock = (f: tf.Tensor4D) => {
        const flat = tf.reshape(f, [h * w, c]) as tf.Tensor2D;
        return tf.matMul(flat, flat, true, false);
      };
      const [ours, reference] = [gramMatrix(features), tf.tidy(() => stock(features))];
      assertAllClose(await ours.data(), await reference.data(), 1e-5, 1e-5, 'Gram');
      const gOurs = tf.grad((f) => tf.sum(tf.mul(gramMatrix(f as tf.Tensor4D), dG)))(features);
      const gStock = tf.grad((f) => tf.sum(tf.mul(stock(f as tf.Tensor4D), dG)))(features);
      assert.deepEqual(gOurs.shape, [1, h, w, c]);
      assertAllClose(await gOurs.data(), await gStock.data(), 1e-4, 1e-5, 'Gram gradient');
      tf.dispose([features, dG, ours, reference, gOurs, gStock]);
    });
  });
}

/**
 * The gradient of the whole objective, through the real VGG16 block 1–2 weights (with average pooling:
 * no max-pooling switches; the step is small enough that ReLU units rarely change side), against central
 * finite differences in float32. The weights put the three terms' gradients in the same range (measured
 * max |∂/∂x| per term with unit weights: content 44, style 1.2e6, TV 0.009 at 8×8), so that each matters.
 */
for (const backend of BACKENDS) {
  describe(`lossTerms gradient vs finite differences (${backend}, real VGG16 blocks 1–2, 8×8)`, () => {
    let extractor: VggFeatureExtractor;
    let targets: Targets;
    let image: tf.Tensor4D;
    let settings: LossSettings;

    before(async () => {
      await useBackend(backend);
      extractor = createVggFeatureExtractor('vgg16', await realWeightsUpTo('block2_conv2'));
      const vgg = (seed: number) => vggTensor(syntheticImage(8, 8, seed));
      settings = {
        extractor,
        pooling: 'avg',
        normalization: NORMALIZATIONS['scale-invariant'],
        contentLayers: ['block2_conv2'],
        styleLayers: ['block1_conv2', 'block2_conv2'],
        styleLayerWeights: [0.5, 0.5],
        contentWeight: 1,
        styleWeight: 4e-5,
        tvWeight: 5000,
      };
      const [content, style] = [vgg(1), vgg(2)];
      targets = await computeTargets(content, [{ image: style, weight: 1 }], settings);
      tf.dispose([content, style]);
      image = vgg(3);
    });
    after(() => {
      disposeTargets(targets);
      image.dispose();
      extractor.dispose();
    });

    it('matches central differences (h = 0.25 px) at 10 random coordinates', async (t) => {
      const total = (x: tf.Tensor4D) => {
        const t = lossTerms(x, targets, settings);
        return tf.addN([t.content, t.style, t.tv]) as tf.Scalar;
      };
      const grad = tf.grad((x) => total(x as tf.Tensor4D))(image);
      const g = await grad.data();
      grad.dispose();
      const x0 = await image.data();
      const lossAt = async (values: Float32Array) => {
        const x = tf.tensor4d(values, image.shape);
        const loss = tf.tidy(() => total(x));
        const [v] = await loss.data();
        tf.dispose([x, loss]);
        return v;
      };
      const h = 0.25;
      const largest = maxAbs(g);
      const rows: string[] = [];
      let worst = 0;
      for (const i of sampleIndices(x0.length, 10, 17)) {
        const plus = Float32Array.from(x0);
        const minus = Float32Array.from(x0);
        plus[i] += h;
        minus[i] -= h;
        const fd = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * h);
        rows.push(`x[${i}]: analytic ${g[i].toFixed(4)}, finite difference ${fd.toFixed(4)}`);
        worst = Math.max(worst, Math.abs(fd - g[i]) / Math.abs(g[i]));
        // Measured: worst 0.75% of the component (cpu), 0.57% (wasm).
        assert.ok(Math.abs(fd - g[i]) <= 0.015 * Math.abs(g[i]) + 0.005 * largest, rows.at(-1));
      }
      assert.ok(largest > 10, `max |g| ${largest}`);
      t.diagnostic(`worst relative difference ${worst.toExponential(2)}; max |g| ${largest.toFixed(1)}`);
    });
  });
}

describe('gradient sanity', () => {
  before(() => useBackend('wasm'));
  it('the custom Gram gradient is F·(dG + dGᵀ), not F·dG (checked on a 1×1×2×2 example by hand)', async () => {
    // F = [[1, 2], [3, 4]] (2 positions × 2 channels), upstream dG = [[0, 1], [0, 0]] picks G[0][1] = Σ F[p][0]·F[p][1].
    // ∂G01/∂F[p][0] = F[p][1], ∂G01/∂F[p][1] = F[p][0] → [[2, 1], [4, 3]].
    const f = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    const dG = tf.tensor2d([0, 1, 0, 0], [2, 2]);
    const g = tf.grad((x) => tf.sum(tf.mul(gramMatrix(x as tf.Tensor4D), dG)))(f);
    assert.deepEqual(Array.from(await g.data()), [2, 1, 4, 3]);
    tf.dispose([f, dG, g]);
  });
});
