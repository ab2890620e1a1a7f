import assert from 'node:assert/strict';

/**
 * Asserts the analytic gradient at the pixel values `indices` against central differences of `total` with step
 * h: |numeric − analytic| ≤ absolute + relative · |numeric|. `total` may be async (the tiled evaluations are).
 */
export async function assertGradientByFiniteDifferences(
  total: (x: Float64Array) => number | Promise<number>,
  x: ArrayLike<number>,
  gradient: ArrayLike<number>,
  indices: Iterable<number>,
  { h, absolute, relative }: { h: number; absolute: number; relative: number },
) {
  for (const i of indices) {
    const at = (delta: number) => {
      const moved = Float64Array.from(x);
      moved[i] += delta;
      return total(moved);
    };
    const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
    assert.ok(Math.abs(numeric - gradient[i]) <= absolute + relative * Math.abs(numeric), `pixel value ${i}: analytic ${gradient[i]}, numeric ${numeric}`);
  }
}
