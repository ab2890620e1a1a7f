import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectiveSettings } from '../../src/engines/types.ts';
import { PasticheInputError } from '../../src/index.ts';
import { planObjective } from '../../src/plan/planObjective.ts';
import { stepsThrough } from '../../src/vgg/stepsThrough.ts';
import { layoutTiles } from '../../src/plan/layoutTiles.ts';
import { assertSameEvaluation } from '../helpers/compareEvaluations.ts';
import { assertGradientByFiniteDifferences } from '../helpers/finiteDifferences.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { relativeL2 } from '../helpers/reference.ts';
import { uniform } from '../helpers/random.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { tiledReferenceObjective } from '../helpers/tiledReferenceObjective.ts';
import { realWeightsUpTo } from '../helpers/weights.ts';

const SEAMLESS: ObjectiveSettings = { ...BLOCK3_SETTINGS, seamless: true };

/** x (NHWC, height × width × 3) shifted circularly by dy rows and dx columns. */
function roll(x: ArrayLike<number>, height: number, width: number, dy: number, dx: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let y = 0; y < height; y++) for (let xx = 0; xx < width; xx++) for (let c = 0; c < 3; c++) {
    out[(((y + dy) % height) * width + ((xx + dx) % width)) * 3 + c] = x[(y * width + xx) * 3 + c];
  }
  return out;
}

/** Indices (NHWC) of every channel of the first and last rows and columns, at a few positions along them. */
function borderIndices(height: number, width: number): number[] {
  const at = (y: number, x: number) => [0, 1, 2].map((c) => (y * width + x) * 3 + c);
  return [at(0, 0), at(height - 1, width - 1), at(0, 5), at(6, width - 1)].flat();
}

describe('the seamless objective (padding wrap), in float64', () => {
  it('has the gradient its finite differences give at the wrapped borders (max pooling, two styles, content kept)', async () => {
    const weights = await realWeightsUpTo('block3_conv3');
    const [height, width] = [12, 16];
    const content = randomVggImage(height, width, 1);
    const styles = [{ image: randomVggImage(12, 14, 2), weight: 0.6 }, { image: randomVggImage(9, 10, 3), weight: 0.4 }];
    const x = uniform(height * width * 3, 4, -100, 100);
    const { terms, gradient } = referenceObjective('vgg16', weights, SEAMLESS, content, styles, x);
    assert.ok(terms.content > 0 && terms.style > 0 && terms.tv > 0);
    const total = (moved: Float64Array) => referenceObjective('vgg16', weights, SEAMLESS, content, styles, moved).terms.total;
    await assertGradientByFiniteDifferences(total, x, gradient, borderIndices(height, width), { h: 1e-3, absolute: 1e-7 * Math.abs(terms.total), relative: 1e-4 });
  });

  it('has no edge: shifting the image circularly (by the 4 px pooling period) shifts the gradient and keeps the style and TV terms', async () => {
    const weights = await realWeightsUpTo('block3_conv3');
    const [height, width] = [16, 20];
    const s = { ...SEAMLESS, contentWeight: 0 };
    const styles = [{ image: randomVggImage(16, 16, 2), weight: 1 }];
    const x = uniform(height * width * 3, 5, -100, 100);
    const [dy, dx] = [4, 8];
    const evaluate = (image: ArrayLike<number>, settings: ObjectiveSettings) => referenceObjective('vgg16', weights, settings, randomVggImage(height, width, 1), styles, image);
    const before = evaluate(x, s);
    const after = evaluate(roll(x, height, width, dy, dx), s);
    for (const term of ['style', 'tv'] as const) assert.ok(Math.abs(after.terms[term] - before.terms[term]) <= 1e-9 * before.terms[term], `${term}: ${before.terms[term]} → ${after.terms[term]}`);
    assert.ok(relativeL2(after.gradient, roll(before.gradient, height, width, dy, dx)) <= 1e-9, 'the gradient shifts with the image');
    // Zero padding sees the edges: the same shift changes its terms.
    const zero = { ...s, seamless: false };
    assert.ok(Math.abs(evaluate(roll(x, height, width, dy, dx), zero).terms.style - evaluate(x, zero).terms.style) > 1e-4 * before.terms.style, 'zero padding is not shift-invariant');
  });

  it('wrap-around TV by hand: the last row and column differ from the first', async () => {
    const weights = await realWeightsUpTo('block1_conv1');
    const s = { ...SEAMLESS, contentLayers: ['block1_conv1'], styleLayers: ['block1_conv1'], styleLayerWeights: [1], contentWeight: 0, styleWeight: 0, normalization: 'notebook' as const };
    // A 2×3 image, the first channel only: x = [[1, 3, 0], [0, 1, 5]]; every position has a neighbour below and to the right.
    const values = [[1, 3, 0], [0, 1, 5]];
    const x = new Float32Array(2 * 3 * 3);
    values.forEach((row, y) => row.forEach((v, xx) => (x[(y * 3 + xx) * 3] = v)));
    let expected = 0;
    for (let y = 0; y < 2; y++) for (let xx = 0; xx < 3; xx++) {
      const [a, b] = [values[y][xx] - values[(y + 1) % 2][xx], values[y][xx] - values[y][(xx + 1) % 3]];
      expected += (a * a + b * b) ** 1.25;
    }
    const { terms } = referenceObjective('vgg16', weights, s, randomVggImage(2, 3, 1), [{ image: randomVggImage(2, 3, 2), weight: 1 }], x);
    assert.ok(Math.abs(terms.tv - expected) < 1e-9 * expected, `tv ${terms.tv}, expected ${expected}`);
  });

  it('tiles read across the edges: 16×32 to block2_conv2 in tiles of 8 equals the untiled seamless objective (1e-6)', async () => {
    const weights = await realWeightsUpTo('block3_conv3');
    const s: ObjectiveSettings = { ...SEAMLESS, styleLayers: ['block1_conv2', 'block2_conv2'], styleLayerWeights: [0.4, 0.6] };
    const [height, width] = [16, 32];
    const content = randomVggImage(height, width, 1);
    const styles = [{ image: randomVggImage(30, 31, 2), weight: 0.7 }, { image: randomVggImage(27, 25, 3), weight: 0.3 }];
    const x = uniform(height * width * 3, 4, -100, 100);
    const layout = layoutTiles(stepsThrough('vgg16', ['block2_conv2']), height, width, 8, true);
    assert.ok(layout.tiles.length >= 6 && layout.tiles.some((t) => t.rows.start < 0 && t.columns.end > width), 'tiles reaching past the edges');
    assertSameEvaluation(await tiledReferenceObjective('vgg16', weights, s, content, styles, x, 8), referenceObjective('vgg16', weights, s, content, styles, x), 1e-6);
  });
});

describe('the seamless objective’s sizes', () => {
  it('refuses sides that are not multiples of 2^pools (a pool would drop the last row, and the period with it), naming the option', () => {
    assert.throws(() => planObjective('vgg16', SEAMLESS, 30, 24, []), (error: unknown) => error instanceof PasticheInputError && /options\.seamless/.test(error.message) && /multiples of 4/.test(error.message) && /24×30/.test(error.message));
    assert.doesNotThrow(() => planObjective('vgg16', SEAMLESS, 32, 24, []));
    assert.doesNotThrow(() => planObjective('vgg16', { ...SEAMLESS, seamless: false }, 30, 24, []));
  });
});
