import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PasticheInputError, validateOptions } from '../../src/index.ts';
import type { ObjectiveSettings } from '../../src/engines/types.ts';
import { createFloat64Matrices, float64Matrix } from '../../src/objective/float64Matrices.ts';
import { matrixSquareRoot } from '../../src/objective/matrixSquareRoot.ts';
import { styleRegions } from '../../src/objective/styleRegions.ts';
import { assertSameEvaluation } from '../helpers/compareEvaluations.ts';
import { assertGradientByFiniteDifferences } from '../helpers/finiteDifferences.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { sampleIndices, uniform } from '../helpers/random.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { tiledReferenceObjective } from '../helpers/tiledReferenceObjective.ts';
import { realWeightsUpTo } from '../helpers/weights.ts';

const image = randomVggImage;
/**
 * Through block 2: the float64 square roots of 256 × 256 matrices (block 3) cost seconds per evaluation in
 * plain JavaScript, and a finite-difference check needs many; the engines' tests take block 3.
 */
const SETTINGS: ObjectiveSettings = {
  ...BLOCK3_SETTINGS,
  styleLayers: ['block1_conv2', 'block2_conv1', 'block2_conv2'],
  styleLoss: 'wasserstein',
  styleWeight: 1,
};

describe('the Wasserstein style loss (objective.ts), in float64', () => {
  it('square root: (P^½)² = P for a well-conditioned P, and its backward is the derivative of the value computed', () => {
    const M = createFloat64Matrices();
    const n = 5;
    const r = uniform(n * n, 11, -1, 1);
    const q = float64Matrix(n, n, r);
    const p = M.addIdentity(M.matmul(q, M.transpose(q)), 0.5);
    const { root, backward } = matrixSquareRoot(M, p);
    const squared = M.matmul(root, root);
    squared.data.forEach((v, i) => assert.ok(Math.abs(v - p.data[i]) < 1e-10, `(P^½)² at ${i}: ${v} vs ${p.data[i]}`));
    // d tr(W·P^½)/dP against central differences, W arbitrary (not symmetric).
    const w = float64Matrix(n, n, uniform(n * n, 12, -1, 1));
    const dP = backward(w);
    const value = (pp: typeof p) => M.sum(M.mul(w, matrixSquareRoot(M, pp).root)).data[0];
    for (const i of [0, 3, 7, 12, 24]) {
      const moved = (d: number) => ({ dims: p.dims, data: p.data.map((v, j) => (j === i ? v + d : v)) });
      const numeric = (value(moved(1e-6)) - value(moved(-1e-6))) / 2e-6;
      assert.ok(Math.abs(numeric - dP.data[i]) < 1e-7, `dP at ${i}: analytic ${dP.data[i]}, numeric ${numeric}`);
    }
  });

  for (const pooling of ['avg', 'max'] as const) {
    it(`has the gradient its finite differences give (${pooling} pooling, odd sizes, two styles, content and TV too)`, async () => {
      const weights = await realWeightsUpTo('block2_conv2');
      const s = { ...SETTINGS, pooling, contentWeight: 0.01, tvWeight: 0.01 };
      const content = image(13, 11, 1);
      const styles = [{ image: image(12, 14, 2), weight: 0.6 }, { image: image(9, 10, 3), weight: 0.4 }];
      const x = uniform(13 * 11 * 3, 4, -100, 100);
      const { terms, gradient } = referenceObjective('vgg16', weights, s, content, styles, x);
      assert.ok(terms.style > terms.content && terms.style > terms.tv, `the style term leads: ${JSON.stringify(terms)}`);
      const total = (moved: Float64Array) => referenceObjective('vgg16', weights, s, content, styles, moved).terms.total;
      assertGradientByFiniteDifferences(total, x, gradient, sampleIndices(x.length, 4, 5), { h: 1e-2, absolute: 1e-6 * Math.abs(terms.total) / 1e2, relative: 1e-5 });
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
    const [t2, t1] = [two.targets.get('l')!, one.targets.get('l')!];
    const close = (x: ArrayLike<number>, y: ArrayLike<number>, what: string) => Array.from(x).forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= 1e-6 * (1 + Math.abs(y[i])), `${what}[${i}]: ${v} vs ${y[i]}`));
    close(t2.mean!, t1.mean!, 'μ');
    close(t2.matrix, t1.matrix, 'Σ^½');
    close([t2.constant], [t1.constant], 'tr Σ');
    // Blending the covariances instead would not be this: the means' spread adds to the blend's covariance.
    const [ca] = styleRegions([style(a, 1)], 'wasserstein');
    const [cb] = styleRegions([style(b, 1)], 'wasserstein');
    const blendedTraces = w * ca.targets.get('l')!.constant + (1 - w) * cb.targets.get('l')!.constant;
    assert.ok(t2.constant > blendedTraces * (1 + 1e-6), `tr Σ of the blend ${t2.constant} is above the blend of traces ${blendedTraces}`);
  });

  it('a mask of ones gives the objective of no mask', async () => {
    const weights = await realWeightsUpTo('block2_conv2');
    const [height, width] = [12, 10];
    const content = image(height, width, 1);
    const x = uniform(height * width * 3, 4, -100, 100);
    const style = image(11, 12, 2);
    const plain = referenceObjective('vgg16', weights, SETTINGS, content, [{ image: style, weight: 1 }], x);
    const masked = referenceObjective('vgg16', weights, SETTINGS, content, [{ image: style, weight: 1, mask: new Float32Array(height * width).fill(1) }], x);
    assertSameEvaluation(masked, plain, 1e-12);
  });

  it('regions weigh the moments by the mask: a masked style differs from an unmasked one', async () => {
    const weights = await realWeightsUpTo('block2_conv2');
    const [height, width] = [12, 10];
    const content = image(height, width, 1);
    const x = uniform(height * width * 3, 4, -100, 100);
    const half = Float32Array.from({ length: height * width }, (_, i) => (i % width < width / 2 ? 1 : 0));
    const styles = (mask?: Float32Array) => [{ image: image(11, 12, 2), weight: 1, mask }];
    const plain = referenceObjective('vgg16', weights, SETTINGS, content, styles(), x);
    const masked = referenceObjective('vgg16', weights, SETTINGS, content, styles(half), x);
    assert.ok(Math.abs(masked.terms.style - plain.terms.style) > 1e-3 * plain.terms.style, `${masked.terms.style} vs ${plain.terms.style}`);
  });

  it('tiled evaluation equals untiled within 1e-5 (the moments are sums over tiles), with a region', async () => {
    const weights = await realWeightsUpTo('block2_conv2');
    const [height, width] = [30, 26];
    const content = image(height, width, 1);
    const x = uniform(height * width * 3, 4, -100, 100);
    const left = Float32Array.from({ length: height * width }, (_, i) => (i % width < 14 ? 1 : 0.25));
    const styles = [{ image: image(20, 24, 2), weight: 0.6 }, { image: image(16, 14, 3), weight: 0.4, mask: left }];
    const untiled = referenceObjective('vgg16', weights, SETTINGS, content, styles, x);
    const tiled = await tiledReferenceObjective('vgg16', weights, SETTINGS, content, styles, x, 12);
    assertSameEvaluation(tiled, untiled);
  });

  it('refuses the notebook normalization with a clear error naming the option', () => {
    assert.throws(
      () => validateOptions({ styleLoss: 'wasserstein', normalization: 'notebook' }),
      (e: unknown) => e instanceof PasticheInputError && /options\.styleLoss/.test(e.message) && /scale-invariant/.test(e.message),
    );
  });
});
