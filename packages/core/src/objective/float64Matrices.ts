import type { MatrixAlgebra } from './matrixSquareRoot.ts';

/** A float64 matrix ([rows, columns]) or scalar ([]), row-major. */
export interface Float64Matrix {
  dims: number[];
  data: Float64Array;
}

export const float64Matrix = (rows: number, columns: number, data: ArrayLike<number>): Float64Matrix => ({ dims: [rows, columns], data: Float64Array.from(data) });

/**
 * The matrix algebra in float64 on the host, computed at once: the style targets' square roots (once per style
 * and scale) and, in tiled evaluation, the Wasserstein terms of the whole image's moments.
 */
export function createFloat64Matrices(): MatrixAlgebra<Float64Matrix> {
  /** a op b, either of them possibly a scalar. */
  const elementwise = (a: Float64Matrix, b: Float64Matrix, op: (x: number, y: number) => number): Float64Matrix => {
    if (b.data.length === 1 && a.data.length > 1) return { dims: a.dims, data: a.data.map((x) => op(x, b.data[0])) };
    if (a.data.length === 1 && b.data.length > 1) return { dims: b.dims, data: b.data.map((y) => op(a.data[0], y)) };
    if (a.data.length !== b.data.length) throw new Error(`float64 matrices: shapes [${a.dims}] and [${b.dims}] differ`);
    return { dims: a.dims, data: a.data.map((x, i) => op(x, b.data[i])) };
  };
  return {
    matmul(a, b) {
      const [m, k] = a.dims;
      const [k2, n] = b.dims;
      if (k !== k2) throw new Error(`float64 matrices: cannot multiply [${a.dims}] by [${b.dims}]`);
      const out = new Float64Array(m * n);
      for (let i = 0; i < m; i++) {
        const row = i * n;
        for (let j = 0; j < k; j++) {
          const v = a.data[i * k + j];
          if (v === 0) continue;
          const from = j * n;
          for (let c = 0; c < n; c++) out[row + c] += v * b.data[from + c];
        }
      }
      return { dims: [m, n], data: out };
    },
    transpose(a) {
      const [m, n] = a.dims;
      const out = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a.data[i * n + j];
      return { dims: [n, m], data: out };
    },
    addIdentity(a, c) {
      const out = Float64Array.from(a.data);
      for (let i = 0; i < a.dims[0]; i++) out[i * a.dims[0] + i] += c;
      return { dims: a.dims, data: out };
    },
    trace(a) {
      let t = 0;
      for (let i = 0; i < a.dims[0]; i++) t += a.data[i * a.dims[0] + i];
      return { dims: [], data: Float64Array.of(t) };
    },
    add: (a, b) => elementwise(a, b, (x, y) => x + y),
    sub: (a, b) => elementwise(a, b, (x, y) => x - y),
    mul: (a, b) => elementwise(a, b, (x, y) => x * y),
    scale: (a, k) => ({ dims: a.dims, data: a.data.map((x) => x * k) }),
    shift: (a, c) => ({ dims: a.dims, data: a.data.map((x) => x + c) }),
    pow: (a, p) => ({ dims: a.dims, data: a.data.map((x) => x ** p) }),
    sum: (a) => ({ dims: [], data: Float64Array.of(a.data.reduce((s, v) => s + v, 0)) }),
  };
}
