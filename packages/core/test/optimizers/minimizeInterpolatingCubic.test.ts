import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimizeInterpolatingCubic } from '../../src/optimizers/minimizeInterpolatingCubic.ts';

describe('minimizeInterpolatingCubic', () => {
  // c(t) = (t − 1)(t − 2)(t − 5) = t³ − 8t² + 17t − 10 has its local minimum at (8 + √13) / 3.
  const c = (t: number) => t ** 3 - 8 * t ** 2 + 17 * t - 10;
  const dc = (t: number) => 3 * t ** 2 - 16 * t + 17;
  const localMin = (8 + Math.sqrt(13)) / 3;

  it('recovers the local minimiser of an exact cubic, whichever end comes first', () => {
    assert.ok(Math.abs(minimizeInterpolatingCubic(2, c(2), dc(2), 5, c(5), dc(5)) - localMin) < 1e-12);
    assert.ok(Math.abs(minimizeInterpolatingCubic(5, c(5), dc(5), 2, c(2), dc(2)) - localMin) < 1e-12);
  });

  it('clamps to the bounds', () => {
    assert.equal(minimizeInterpolatingCubic(2, c(2), dc(2), 5, c(5), dc(5), [4, 4.5]), 4);
    assert.equal(minimizeInterpolatingCubic(2, c(2), dc(2), 5, c(5), dc(5), [2, 3]), 3);
  });

  it('falls back to the midpoint of the bounds for non-finite input or no minimiser', () => {
    assert.equal(minimizeInterpolatingCubic(0, 0, -1, 4, Number.NaN, Number.NaN), 2);
    assert.equal(minimizeInterpolatingCubic(0, 0, -1, 4, Number.POSITIVE_INFINITY, 1), 2);
    // A cubic with no stationary point: c(t) = t³ + t, c' > 0 everywhere.
    assert.equal(minimizeInterpolatingCubic(-1, -2, 4, 1, 2, 4, [-1, 1]), 0);
  });
});
