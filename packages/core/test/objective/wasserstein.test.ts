import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PasticheInputError, validateOptions } from '../../src/index.ts';
import type { ObjectiveSettings } from '../../src/engines/types.ts';
import type { ConvWeightsByLayer, VggModelName } from '../../src/index.ts';
import type { ScaleStyle, VggImage } from '../../src/engines/types.ts';
import { blendStyleMoments, symmetricSquareRoot } from '../../src/objective/blendStyleMoments.ts';
import { styleRegions, type StyleTarget } from '../../src/objective/styleRegions.ts';
import { createWassersteinTerm, multiply, type WassersteinTarget } from '../../src/objective/wassersteinTerm.ts';
import { assertSameEvaluation } from '../helpers/compareEvaluations.ts';
import { assertGradientByFiniteDifferences } from '../helpers/finiteDifferences.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { mulberry32, sampleIndices, uniform } from '../helpers/random.ts';
import { tiledReferenceObjective } from '../helpers/tiledReferenceObjective.ts';
import { realWeightsUpTo } from '../helpers/weights.ts';

const image = randomVggImage;
/**
 * Through block 2: the float64 convolutions of block 3 in plain JavaScript cost seconds per evaluation, and a
 * finite-difference check needs many; the engines' tests take block 3.
 */
const SETTINGS: ObjectiveSettings = {
  ...BLOCK3_SETTINGS,
  styleLayers: ['block1_conv2', 'block2_conv1', 'block2_conv2'],
  styleLoss: 'wasserstein',
  styleWeight: 1,
};

/** The float64 objective, untiled: the Wasserstein loss's two passes over the whole image. */
const referenceObjective = (model: VggModelName, weights: ConvWeightsByLayer, s: ObjectiveSettings, content: VggImage, styles: ScaleStyle[], x: Float32Array) =>
  tiledReferenceObjective(model, weights, s, content, styles, x, Infinity);

const wassersteinOf = (t: StyleTarget): WassersteinTarget => {
  assert.ok('wasserstein' in t, 'a Wasserstein target');
  return t.wasserstein;
};

/** A random symmetric positive definite n × n matrix Q·Qᵀ + shift·I, and a random vector. */
function randomMoments(n: number, seed: number, shift: number) {
  const next = mulberry32(seed);
  const q = Float64Array.from({ length: n * n }, () => 2 * next() - 1);
  const qt = Float64Array.from({ length: n * n }, (_, i) => q[(i % n) * n + Math.floor(i / n)]);
  const spd = new Float64Array(n * n);
  multiply(q, qt, spd, n);
  for (let i = 0; i < n; i++) spd[i * n + i] += shift;
  return { spd, vector: Float64Array.from({ length: n }, () => next()) };
}

describe('the Wasserstein style loss (objective.ts), in float64', () => {
  it('Σ̄^½ by eigendecomposition: (A^½)² = A for a covariance spread over eight orders of magnitude, symmetric', () => {
    const n = 12;
    const { spd } = randomMoments(n, 3, 1e-8);
    const root = symmetricSquareRoot(spd, n);
    const squared = new Float64Array(n * n);
    multiply(root, root, squared, n);
    squared.forEach((v, i) => assert.ok(Math.abs(v - spd[i]) <= 1e-13 * n, `(A^½)² at ${i}: ${v} vs ${spd[i]}`));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(root[i * n + j], root[j * n + i]);
  });

  it('the term is the W2 distance: for diagonal covariances, ‖μ − μ̄‖² + Σ(√σ − √σ̄)², divided by C, times the factor', () => {
    const [sigma, target] = [[4, 1, 0.25, 9], [1, 1, 4, 0.01]];
    const n = sigma.length;
    const [mean, targetMean] = [Float64Array.of(1, 2, 3, 4), Float64Array.of(0, 2, 5, 4)];
    // S = Σ + μμᵀ − εI, so that the term's Σ = S − μμᵀ + εI is diag(sigma).
    const epsilon = 1e-3;
    const S = Float64Array.from({ length: n * n }, (_, k) => {
      const [i, j] = [Math.floor(k / n), k % n];
      return mean[i] * mean[j] + (i === j ? sigma[i] - epsilon : 0);
    });
    const diagonal = (v: number[]) => Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? v[k / (n + 1)] : 0));
    const t: WassersteinTarget = { mean: targetMean, covarianceRoot: diagonal(target.map(Math.sqrt)), covarianceTrace: target.reduce((a, b) => a + b, 0), epsilon };
    const expected = (0.5 / n) * (1 + 4 + sigma.reduce((sum, v, i) => sum + (Math.sqrt(v) - Math.sqrt(target[i])) ** 2, 0));
    const { value } = createWassersteinTerm(n)(S, mean, t, 0.5);
    assert.ok(Math.abs(value - expected) <= 1e-14, `${value} vs ${expected}`);
  });

  it('its gradient with respect to S and μ is the derivative of its value (central differences), on an ill-conditioned P', () => {
    const n = 6;
    const target = randomMoments(n, 1, 1e-6);
    const own = randomMoments(n, 2, 1e-5);
    const S = Float64Array.from(own.spd, (v, k) => v + own.vector[Math.floor(k / n)] * own.vector[k % n]);
    const t: WassersteinTarget = { mean: target.vector, covarianceRoot: symmetricSquareRoot(target.spd, n), covarianceTrace: target.spd.reduce((sum, v, k) => sum + (k % (n + 1) === 0 ? v : 0), 0), epsilon: 1e-7 };
    const term = createWassersteinTerm(n);
    const { dS, dMean } = term(S, own.vector, t, 3);
    const [dSCopy, dMeanCopy] = [Float64Array.from(dS), Float64Array.from(dMean)];
    const value = (s: Float64Array, m: Float64Array) => term(s, m, t, 3).value;
    const h = 1e-7;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        // S enters symmetrised: move both (i, j) and (j, i), whose gradient entries sum.
        const moved = (d: number) => Float64Array.from(S, (v, k) => (k === i * n + j || k === j * n + i ? v + d : v));
        const numeric = (value(moved(h), own.vector) - value(moved(-h), own.vector)) / (2 * h);
        const analytic = i === j ? dSCopy[i * n + i] : dSCopy[i * n + j] + dSCopy[j * n + i];
        assert.ok(Math.abs(numeric - analytic) <= 1e-6 * (1 + Math.abs(analytic)), `dS[${i}, ${j}]: analytic ${analytic}, numeric ${numeric}`);
      }
      const movedMean = (d: number) => Float64Array.from(own.vector, (v, k) => (k === i ? v + d : v));
      const numeric = (value(S, movedMean(h)) - value(S, movedMean(-h))) / (2 * h);
      assert.ok(Math.abs(numeric - dMeanCopy[i]) <= 1e-6 * (1 + Math.abs(dMeanCopy[i])), `dμ[${i}]: analytic ${dMeanCopy[i]}, numeric ${numeric}`);
    }
  });

  for (const pooling of ['avg', 'max'] as const) {
    it(`has the gradient its finite differences give (${pooling} pooling, odd sizes, two styles, content and TV too)`, async () => {
      const weights = await realWeightsUpTo('block2_conv2');
      const s = { ...SETTINGS, pooling, contentWeight: 0.01, tvWeight: 0.01 };
      const content = image(13, 11, 1);
      const styles = [{ image: image(12, 14, 2), weight: 0.6 }, { image: image(9, 10, 3), weight: 0.4 }];
      const x = uniform(13 * 11 * 3, 4, -100, 100);
      const { terms, gradient } = await referenceObjective('vgg16', weights, s, content, styles, x);
      assert.ok(terms.style > terms.content && terms.style > terms.tv, `the style term leads: ${JSON.stringify(terms)}`);
      // A step of 2⁻⁷, exact in float32 (the objective takes float32 pixels) at these values.
      const total = async (moved: Float64Array) => {
        const pixels = Float32Array.from(moved);
        assert.ok(pixels.every((v, i) => v === moved[i]), 'the step is exact in float32');
        return (await referenceObjective('vgg16', weights, s, content, styles, pixels)).terms.total;
      };
      await assertGradientByFiniteDifferences(total, x, gradient, sampleIndices(x.length, 4, 5), { h: 2 ** -7, absolute: 1e-6 * Math.abs(terms.total) / 1e2, relative: 1e-5 });
    });
  }

  it('blends styles through their means and second moments: two styles (w, 1 − w) are the one style whose μ and S are the weighted ones', () => {
    const channels = 4;
    const stats = (seed: number) => {
      const f = uniform(channels * 30, seed, 0, 10); // features of 30 positions
      const mean = Float32Array.from({ length: channels }, (_, c) => f.slice(c * 30, (c + 1) * 30).reduce((a, b) => a + b, 0) / 30);
      const second = Float32Array.from({ length: channels * channels }, (_, k) => {
        const [a, b] = [Math.floor(k / channels), k % channels];
        let sum = 0;
        for (let p = 0; p < 30; p++) sum += f[a * 30 + p] * f[b * 30 + p];
        return sum / 30;
      });
      return { mean, second };
    };
    const [a, b] = [stats(1), stats(2)];
    const w = 0.3;
    const mixed = { mean: a.mean.map((v, i) => w * v + (1 - w) * b.mean[i]), second: a.second.map((v, i) => w * v + (1 - w) * b.second[i]) };
    const style = (m: typeof a, weight: number) => ({ weight, grams: new Map([['l', m.second]]), means: new Map([['l', m.mean]]) });
    const [two] = styleRegions([style(a, w), style(b, 1 - w)], 'wasserstein');
    const [one] = styleRegions([style(mixed, 1)], 'wasserstein');
    const [t2, t1] = [wassersteinOf(two.targets.get('l')!), wassersteinOf(one.targets.get('l')!)];
    const close = (x: ArrayLike<number>, y: ArrayLike<number>, what: string) => Array.from(x).forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= 1e-6 * (1 + Math.abs(y[i])), `${what}[${i}]: ${v} vs ${y[i]}`));
    close(t2.mean, t1.mean, 'μ');
    close(t2.covarianceRoot, t1.covarianceRoot, 'Σ^½');
    close([t2.covarianceTrace], [t1.covarianceTrace], 'tr Σ');
    // Blending the covariances instead would not be this: the means' spread adds to the blend's covariance.
    const [ca] = styleRegions([style(a, 1)], 'wasserstein');
    const [cb] = styleRegions([style(b, 1)], 'wasserstein');
    const blendedTraces = w * ca.targets.get('l')!.constant + (1 - w) * cb.targets.get('l')!.constant;
    assert.ok(t2.covarianceTrace > blendedTraces * (1 + 1e-6), `tr Σ of the blend ${t2.covarianceTrace} is above the blend of traces ${blendedTraces}`);
    // And the target is that of blendStyleMoments itself.
    assert.deepEqual(blendStyleMoments([a, b], [w, 1 - w]).covarianceRoot, t2.covarianceRoot);
  });

  it('a mask of ones gives the objective of no mask', async () => {
    const weights = await realWeightsUpTo('block2_conv2');
    const [height, width] = [12, 10];
    const content = image(height, width, 1);
    const x = uniform(height * width * 3, 4, -100, 100);
    const style = image(11, 12, 2);
    const plain = await referenceObjective('vgg16', weights, SETTINGS, content, [{ image: style, weight: 1 }], x);
    const masked = await referenceObjective('vgg16', weights, SETTINGS, content, [{ image: style, weight: 1, mask: new Float32Array(height * width).fill(1) }], x);
    assertSameEvaluation(masked, plain, 1e-12);
  });

  it('regions weigh the moments by the mask: a masked style differs from an unmasked one', async () => {
    const weights = await realWeightsUpTo('block2_conv2');
    const [height, width] = [12, 10];
    const content = image(height, width, 1);
    const x = uniform(height * width * 3, 4, -100, 100);
    const half = Float32Array.from({ length: height * width }, (_, i) => (i % width < width / 2 ? 1 : 0));
    const styles = (mask?: Float32Array) => [{ image: image(11, 12, 2), weight: 1, mask }];
    const plain = await referenceObjective('vgg16', weights, SETTINGS, content, styles(), x);
    const masked = await referenceObjective('vgg16', weights, SETTINGS, content, styles(half), x);
    assert.ok(Math.abs(masked.terms.style - plain.terms.style) > 1e-3 * plain.terms.style, `${masked.terms.style} vs ${plain.terms.style}`);
  });

  it('tiled evaluation equals untiled within 1e-5 (the moments are sums over tiles), with a region', async () => {
    const weights = await realWeightsUpTo('block2_conv2');
    const [height, width] = [30, 26];
    const content = image(height, width, 1);
    const x = uniform(height * width * 3, 4, -100, 100);
    const left = Float32Array.from({ length: height * width }, (_, i) => (i % width < 14 ? 1 : 0.25));
    const styles = [{ image: image(20, 24, 2), weight: 0.6 }, { image: image(16, 14, 3), weight: 0.4, mask: left }];
    const untiled = await referenceObjective('vgg16', weights, SETTINGS, content, styles, x);
    const tiled = await tiledReferenceObjective('vgg16', weights, SETTINGS, content, styles, x, 12);
    assertSameEvaluation(tiled, untiled);
  });

  it('a seamless pattern: the two passes over the whole image (wrapped convs and TV) equal its periodic tiles, and differ from the plain objective', async () => {
    const weights = await realWeightsUpTo('block2_conv2');
    const [height, width] = [16, 20];
    const content = image(height, width, 1);
    const x = uniform(height * width * 3, 4, -100, 100);
    const styles = [{ image: image(14, 12, 2), weight: 1 }];
    const seamless = { ...SETTINGS, seamless: true };
    const untiled = await referenceObjective('vgg16', weights, seamless, content, styles, x);
    assertSameEvaluation(await tiledReferenceObjective('vgg16', weights, seamless, content, styles, x, 8), untiled);
    const plain = await referenceObjective('vgg16', weights, SETTINGS, content, styles, x);
    assert.ok(Math.abs(plain.terms.style - untiled.terms.style) > 1e-3 * plain.terms.style, `seamless ${untiled.terms.style} vs plain ${plain.terms.style}`);
  });

  it('refuses the notebook normalization with a clear error naming the option', () => {
    assert.throws(
      () => validateOptions({ styleLoss: 'wasserstein', normalization: 'notebook' }),
      (e: unknown) => e instanceof PasticheInputError && /options\.styleLoss/.test(e.message) && /scale-invariant/.test(e.message),
    );
  });
});
