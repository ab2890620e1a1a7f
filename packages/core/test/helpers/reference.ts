/**
 * Plain-JS (float64) reference computations on row-major NHWC data with batch 1, written from the
 * definitions in DESIGN.md, independently of the tensor code under test.
 */

export interface HostTensor {
  data: Float64Array;
  height: number;
  width: number;
  channels: number;
}

export function hostTensor(data: ArrayLike<number>, height: number, width: number, channels: number): HostTensor {
  if (data.length !== height * width * channels) throw new Error(`expected ${height * width * channels} values, got ${data.length}`);
  return { data: Float64Array.from(data), height, width, channels };
}

export const at = (t: HostTensor, y: number, x: number, c: number) => t.data[(y * t.width + x) * t.channels + c];

/** Σ (a − b)². */
export function sumSquaredDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error('length mismatch');
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum;
}

/** Σ a². */
export function sumSquares(a: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] ** 2;
  return sum;
}

/** Gram matrix G[a][b] = Σ_positions F[p][a]·F[p][b], row-major c × c, unnormalised. */
export function gram(t: HostTensor): Float64Array {
  const c = t.channels;
  const g = new Float64Array(c * c);
  for (let p = 0; p < t.height * t.width; p++) {
    for (let a = 0; a < c; a++) {
      for (let b = 0; b < c; b++) g[a * c + b] += t.data[p * c + a] * t.data[p * c + b];
    }
  }
  return g;
}

/** Σ over i < h−1, j < w−1 and channels of ((x[i,j] − x[i+1,j])² + (x[i,j] − x[i,j+1])²)^1.25. */
export function totalVariation(t: HostTensor): number {
  let sum = 0;
  for (let y = 0; y < t.height - 1; y++) {
    for (let x = 0; x < t.width - 1; x++) {
      for (let c = 0; c < t.channels; c++) {
        const down = at(t, y, x, c) - at(t, y + 1, x, c);
        const right = at(t, y, x, c) - at(t, y, x + 1, c);
        sum += (down * down + right * right) ** 1.25;
      }
    }
  }
  return sum;
}

/** 2×2 average pooling, stride 2, 'valid'. */
export function avgPool2(t: HostTensor): HostTensor {
  const height = Math.floor(t.height / 2);
  const width = Math.floor(t.width / 2);
  const out = new Float64Array(height * width * t.channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < t.channels; c++) {
        out[(y * width + x) * t.channels + c] =
          (at(t, 2 * y, 2 * x, c) + at(t, 2 * y + 1, 2 * x, c) + at(t, 2 * y, 2 * x + 1, c) + at(t, 2 * y + 1, 2 * x + 1, c)) / 4;
      }
    }
  }
  return { data: out, height, width, channels: t.channels };
}

/** Elementwise square (a simple nonlinear "layer" for fake extractors). */
export function squareEach(t: HostTensor): HostTensor {
  return { ...t, data: t.data.map((v) => v * v) };
}

/** |actual − expected| ≤ rtol·|expected| + atol. */
export function isClose(actual: number, expected: number, rtol = 1e-5, atol = 0): boolean {
  return Math.abs(actual - expected) <= rtol * Math.abs(expected) + atol;
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** ‖actual − expected‖ / ‖expected‖. */
export function relativeL2(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < expected.length; i++) {
    num += (actual[i] - expected[i]) ** 2;
    den += expected[i] ** 2;
  }
  return Math.sqrt(num / den);
}
