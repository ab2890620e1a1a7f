import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { computeTargets, disposeTargets, gramMatrix, lossTerms, NORMALIZATIONS, type LossSettings, type NormalizationName } from '../src/index.ts';
import { contentLoss } from '../src/losses/contentLoss.ts';
import { blendStyleTargets, styleLoss } from '../src/losses/styleLoss.ts';
import { totalVariationLoss } from '../src/losses/totalVariationLoss.ts';
import { useBackend, type BackendName } from './helpers/backend.ts';
import { createFakeExtractor, fakeFeatures } from './helpers/fakeExtractor.ts';
import { uniform } from './helpers/random.ts';
import { gram, hostTensor, isClose, sumSquaredDifference, sumSquares, totalVariation, type HostTensor } from './helpers/reference.ts';

async function scalarOf(t: tf.Tensor): Promise<number> {
  const [v] = await t.data();
  t.dispose();
  return v;
}

function assertClose(actual: number, expected: number, rtol: number, what: string) {
  assert.ok(isClose(actual, expected, rtol), `${what}: got ${actual}, expected ${expected} (rtol ${rtol})`);
}

function randomTensor(shape: [number, number, number, number], seed: number, low = -2, high = 2) {
  const values = uniform(shape.reduce((a, b) => a * b, 1), seed, low, high);
  return { tensor: tf.tensor4d(values, shape), host: hostTensor(values, shape[1], shape[2], shape[3]) };
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`loss functions on tiny tensors (${backend})`, () => {
    before(() => useBackend(backend));

    it('gramMatrix: a 3-position, 2-channel example by hand, and random features against a host Gram', async () => {
      // F = [[1, 2], [3, 4], [5, 6]] → FᵀF = [[1+9+25, 2+12+30], [2+12+30, 4+16+36]].
      const f = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 1, 3, 2]);
      const g = gramMatrix(f);
      assert.deepEqual(g.shape, [2, 2]);
      assert.deepEqual(Array.from(await g.data()), [35, 44, 44, 56]);
      tf.dispose([f, g]);

      const { tensor, host } = randomTensor([1, 3, 4, 5], 11);
      const g2 = gramMatrix(tensor as tf.Tensor4D);
      const values = await g2.data();
      const expected = gram(host);
      for (let i = 0; i < expected.length; i++) assertClose(values[i], expected[i], 1e-5, `G[${i}]`);
      tf.dispose([tensor, g2]);
    });

    it('contentLoss = factor · Σ (F − P)²', async () => {
      const f = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
      const p = tf.tensor4d([1, 0, 5, 1], [1, 1, 2, 2]);
      // 0.5 · (0 + 4 + 4 + 9)
      assert.equal(await scalarOf(contentLoss(f, p, 0.5)), 8.5);
      tf.dispose([f, p]);

      const a = randomTensor([1, 3, 3, 4], 21);
      const b = randomTensor([1, 3, 3, 4], 22);
      const expected = 0.01 * sumSquaredDifference(a.host.data, b.host.data);
      assertClose(await scalarOf(contentLoss(a.tensor as tf.Tensor4D, b.tensor as tf.Tensor4D, 0.01)), expected, 1e-5, 'content');
      tf.dispose([a.tensor, b.tensor]);
    });

    it('totalVariationLoss: hand values, factor, and the notebooks’ crop', async () => {
      // One channel [[0, 3], [4, 0]]: only pixel (0, 0) counts: ((0−4)² + (0−3)²)^1.25 = 25^1.25.
      const x = tf.tensor4d([0, 3, 4, 0], [1, 2, 2, 1]);
      assertClose(await scalarOf(totalVariationLoss(x, 1)), 25 ** 1.25, 1e-6, 'tv 2×2');
      assertClose(await scalarOf(totalVariationLoss(x, 0.1)), 0.1 * 25 ** 1.25, 1e-6, 'tv 2×2 with a factor');
      x.dispose();

      // The last row and column are never a "corner": a bump in the bottom-right pixel costs nothing,
      // a bump in the top-left pixel costs two unit differences: (1 + 1)^1.25.
      const corner = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, 1], [1, 3, 3, 1]);
      assert.equal(await scalarOf(totalVariationLoss(corner, 1)), 0);
      const first = tf.tensor4d([1, 0, 0, 0, 0, 0, 0, 0, 0], [1, 3, 3, 1]);
      assertClose(await scalarOf(totalVariationLoss(first, 1)), 2 ** 1.25, 1e-6, 'tv top-left bump');
      tf.dispose([corner, first]);

      // The exponent applies per channel (as in the notebooks), not to the sum over channels.
      const r = randomTensor([1, 4, 5, 3], 31, 0, 255);
      const expected = 0.3 * totalVariation(r.host);
      assertClose(await scalarOf(totalVariationLoss(r.tensor as tf.Tensor4D, 0.3)), expected, 1e-5, 'tv random');
      r.tensor.dispose();
    });

    it('blendStyleTargets gives Σ w̄ A_s and the constant Σ w̄ ‖A_s‖² − ‖Ā‖²; styleLoss through it is the blended loss', async () => {
      const c = 3;
      const grams = [1, 2, 3].map((s) => uniform(c * c, 40 + s, -1, 3));
      const weights = [3, 1, 0.5];
      const wbar = weights.map((w) => w / 4.5);
      const target = await blendStyleTargets(
        grams.map((g) => tf.tensor2d(g, [c, c])),
        weights,
      );
      const blended = await target.gram.data();
      const mean = new Float64Array(c * c);
      grams.forEach((g, s) => g.forEach((v, i) => (mean[i] += wbar[s] * v)));
      for (let i = 0; i < c * c; i++) assertClose(blended[i], mean[i], 1e-5, `Ā[${i}]`);
      const constant = grams.reduce((sum, g, s) => sum + wbar[s] * sumSquares(g), 0) - sumSquares(mean);
      assertClose(target.constant, constant, 1e-4, 'constant');
      assert.ok(target.constant > 0.1, 'three different Grams leave a positive constant');

      // styleLoss(F) = factor · Σ_s w̄_s ‖gram(F)/divisor − A_s‖².
      const f = randomTensor([1, 2, 3, c], 49);
      const divisor = 6;
      const factor = 0.25;
      const g = gram(f.host).map((v) => v / divisor);
      const expected = factor * grams.reduce((sum, a, s) => sum + wbar[s] * sumSquaredDifference(g, a), 0);
      assertClose(await scalarOf(styleLoss(f.tensor as tf.Tensor4D, target, divisor, factor)), expected, 1e-4, 'style loss');
      tf.dispose([f.tensor, target.gram]);
    });
  });
}

describe('NORMALIZATIONS', () => {
  it('notebook: Gram unnormalised, style divided by 4·3²·(H·W)² of the image, raw content and TV sums', () => {
    const n = NORMALIZATIONS.notebook;
    assert.equal(n.gramDivisor(1234), 1);
    // The notebooks use channels = 3 (the image's) whatever the layer: 64 here must not matter.
    assert.equal(n.styleFactor(64, 512, 512), 1 / (4 * 9 * (512 * 512) ** 2));
    assert.equal(n.styleFactor(512, 300, 200), 1 / (36 * 60000 ** 2));
    assert.equal(n.contentFactor(1000), 1);
    assert.equal(n.tvFactor(300, 200), 1);
  });

  it('scale-invariant: Gram divided by positions, style, content and TV as means', () => {
    const n = NORMALIZATIONS['scale-invariant'];
    assert.equal(n.gramDivisor(1234), 1234);
    assert.equal(n.styleFactor(64, 512, 512), 1 / 4096);
    assert.equal(n.styleFactor(64, 100, 900), 1 / 4096); // independent of the image size
    assert.equal(n.contentFactor(1000), 1 / 1000);
    assert.equal(n.tvFactor(301, 201), 1 / (300 * 200));
  });
});

describe('lossTerms against a host computation (fake two-layer extractor)', () => {
  const H = 4;
  const W = 6;
  const image = (seed: number, h = H, w = W) => {
    const values = uniform(h * w * 3, seed, -3, 3);
    return { tensor: tf.tensor4d(values, [1, h, w, 3]), host: hostTensor(values, h, w, 3) };
  };
  let combination: ReturnType<typeof image>;
  let content: ReturnType<typeof image>;
  let styles: Array<ReturnType<typeof image>>;

  before(async () => {
    await useBackend('wasm');
    combination = image(1);
    content = image(2);
    styles = [image(3), image(4), image(5, 6, 8)]; // the third has other positions than the result
  });
  after(() => tf.dispose([combination.tensor, content.tensor, ...styles.map((s) => s.tensor)]));

  /** The loss written from DESIGN.md, term by term, for either normalisation. */
  function hostTerms(
    normalization: NormalizationName,
    s: { contentLayers: string[]; styleLayers: string[]; styleLayerWeights: number[]; contentWeight: number; styleWeight: number; tvWeight: number },
    styleImages: HostTensor[],
    blendWeights: number[],
  ) {
    const notebook = normalization === 'notebook';
    const x = combination.host;
    let contentTerm = 0;
    for (const l of s.contentLayers) {
      const f = fakeFeatures(x, l);
      const p = fakeFeatures(content.host, l);
      const squared = sumSquaredDifference(f.data, p.data);
      contentTerm += notebook ? squared : squared / f.data.length;
    }
    const total = blendWeights.reduce((a, b) => a + b, 0);
    let styleTerm = 0;
    s.styleLayers.forEach((l, i) => {
      const f = fakeFeatures(x, l);
      const g = gram(f).map((v) => (notebook ? v : v / (f.height * f.width)));
      let blended = 0;
      styleImages.forEach((styleImage, k) => {
        const fs = fakeFeatures(styleImage, l);
        const a = gram(fs).map((v) => (notebook ? v : v / (fs.height * fs.width)));
        blended += (blendWeights[k] / total) * sumSquaredDifference(g, a);
      });
      const factor = notebook ? 1 / (4 * 9 * (H * W) ** 2) : 1 / f.channels ** 2;
      styleTerm += s.styleLayerWeights[i] * factor * blended;
    });
    const tvTerm = notebook ? totalVariation(x) : totalVariation(x) / ((H - 1) * (W - 1));
    return { content: s.contentWeight * contentTerm, style: s.styleWeight * styleTerm, tv: s.tvWeight * tvTerm };
  }

  async function tensorTerms(settings: LossSettings, styleImages: tf.Tensor4D[], blendWeights: number[]) {
    const targets = await computeTargets(content.tensor as tf.Tensor4D, styleImages.map((image, i) => ({ image, weight: blendWeights[i] })), settings);
    const before = tf.memory().numTensors;
    const values = tf.tidy(() => {
      const t = lossTerms(combination.tensor as tf.Tensor4D, targets, settings);
      return tf.stack([t.content, t.style, t.tv]);
    });
    const [c, s, tv] = await values.data();
    values.dispose();
    assert.equal(tf.memory().numTensors, before, 'lossTerms inside tidy leaves nothing behind');
    disposeTargets(targets);
    return { content: c, style: s, tv };
  }

  for (const normalization of ['notebook', 'scale-invariant'] as NormalizationName[]) {
    it(`${normalization}: weighted content, blended multi-layer style and TV equal the host values`, async () => {
      const extractor = createFakeExtractor();
      const s = {
        contentLayers: ['pooledSquare'],
        styleLayers: ['identity', 'pooledSquare'],
        styleLayerWeights: [0.25, 0.75],
        contentWeight: 0.7,
        styleWeight: 3,
        tvWeight: 0.2,
      };
      const settings: LossSettings = { extractor, pooling: 'avg', normalization: NORMALIZATIONS[normalization], ...s };
      // Under the notebook normalisation the style images must have the result's positions.
      const used = normalization === 'notebook' ? styles.slice(0, 2) : styles;
      const blend = normalization === 'notebook' ? [2, 1] : [2, 1, 1];
      const actual = await tensorTerms(settings, used.map((u) => u.tensor as tf.Tensor4D), blend);
      const expected = hostTerms(normalization, s, used.map((u) => u.host), blend);
      for (const term of ['content', 'style', 'tv'] as const) {
        assert.ok(expected[term] > 0);
        assertClose(actual[term], expected[term], 2e-4, `${normalization} ${term}`);
      }
    });
  }

  it('a zero weight gives exactly 0 for its term and skips its layers in the forward pass', async () => {
    const extractor = createFakeExtractor();
    const settings: LossSettings = {
      extractor,
      pooling: 'avg',
      normalization: NORMALIZATIONS['scale-invariant'],
      contentLayers: ['pooledSquare'],
      styleLayers: ['identity'],
      styleLayerWeights: [1],
      contentWeight: 0,
      styleWeight: 2,
      tvWeight: 0,
    };
    const actual = await tensorTerms(settings, [styles[0].tensor as tf.Tensor4D], [1]);
    assert.equal(actual.content, 0);
    assert.equal(actual.tv, 0);
    const expected = hostTerms('scale-invariant', { ...settings }, [styles[0].host], [1]);
    assertClose(actual.style, expected.style, 2e-4, 'style');
    // Calls: content target, style target, then the combination: only the style layer.
    assert.deepEqual(extractor.calls.at(-1), ['identity']);
  });
});
