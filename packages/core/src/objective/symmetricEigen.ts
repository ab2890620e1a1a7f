/**
 * Eigenvalues and eigenvectors of a real symmetric n × n matrix, in float64: Householder reduction to a
 * tridiagonal matrix, then the implicit QL iteration with the transformations accumulated (EISPACK's tred2 and
 * tql2, as JAMA writes them). Backward stable: the result is exact for a matrix within about n·2⁻⁵² of ‖A‖.
 *
 * The eigenvectors are kept as rows (row i belongs to values[i]), so that every inner loop of both stages runs
 * along contiguous memory. The solver owns its buffers: each call overwrites the previous call's result.
 */
export interface SymmetricEigen {
  /** Ascending. */
  values: Float64Array;
  /** n × n, row-major: row i is the unit eigenvector of values[i]; A = Σ_i values[i]·v_i·v_iᵀ. */
  vectors: Float64Array;
}

/** QL iterations allowed per eigenvalue before giving up (two or three are typical). */
const MAX_ITERATIONS = 60;

export function createSymmetricEigensolver(n: number): (a: ArrayLike<number>) => SymmetricEigen {
  if (!Number.isInteger(n) || n < 1) throw new Error(`symmetric eigensolver: the order must be a positive integer, got ${n}`);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const v = new Float64Array(n * n);
  return (a) => {
    if (a.length !== n * n) throw new Error(`symmetric eigensolver: expected ${n}×${n} = ${n * n} values, got ${a.length}`);
    for (let i = 0; i < n * n; i++) {
      if (!Number.isFinite(a[i])) throw new Error(`symmetric eigensolver: the matrix holds ${a[i]} at row ${Math.floor(i / n)}, column ${i % n}`);
      v[i] = a[i];
    }
    tridiagonalize(n, v, d, e);
    diagonalize(n, v, d, e);
    return { values: d, vectors: v };
  };
}

/*
 * Below, JAMA's V[r][c] is v[c·n + r] (v holds Vᵀ; the input is symmetric, so it starts as A either way), and
 * every loop over JAMA's row index r walks one row of v.
 */

/** tred2: A = Q·T·Qᵀ with T tridiagonal (diagonal d, subdiagonal e[1..n−1]); Qᵀ left in v. */
function tridiagonalize(n: number, v: Float64Array, d: Float64Array, e: Float64Array) {
  for (let j = 0; j < n; j++) d[j] = v[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[j * n + i - 1];
        v[j * n + i] = 0;
        v[i * n + j] = 0;
      }
    } else {
      // The Householder vector, scaled against under- and overflow.
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // The similarity transformation of the remaining columns.
      for (let j = 0; j < i; j++) {
        const column = j * n;
        f = d[j];
        v[i * n + j] = f;
        g = e[j] + v[column + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[column + k] * d[k];
          e[k] += v[column + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const column = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[column + k] -= f * e[k] + g * d[k];
        d[j] = v[column + i - 1];
        v[column + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[i * n + n - 1] = v[i * n + i];
    v[i * n + i] = 1;
    const h = d[i + 1];
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[next + k] / h;
      for (let j = 0; j <= i; j++) {
        const column = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[next + k] * v[column + k];
        for (let k = 0; k <= i; k++) v[column + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[j * n + n - 1];
    v[j * n + n - 1] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** tql2: the tridiagonal matrix's eigenvalues into d (ascending), v's rows rotated into the eigenvectors. */
function diagonalize(n: number, v: Float64Array, d: Float64Array, e: Float64Array) {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    // Find a negligible subdiagonal element.
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n && Math.abs(e[m]) > eps * tst1) m++;
    // m = l: d[l] is an eigenvalue; otherwise iterate.
    for (let iteration = 0; m > l && Math.abs(e[l]) > eps * tst1; iteration++) {
      if (iteration === MAX_ITERATIONS) throw new Error(`symmetric eigensolver: eigenvalue ${l} of ${n} did not converge in ${MAX_ITERATIONS} QL iterations`);
      // The implicit shift.
      let g = d[l];
      let p = (d[l + 1] - g) / (2 * e[l]);
      let r = hypot(p, 1);
      if (p < 0) r = -r;
      d[l] = e[l] / (p + r);
      d[l + 1] = e[l] * (p + r);
      const dl1 = d[l + 1];
      let h = g - d[l];
      for (let i = l + 2; i < n; i++) d[i] -= h;
      f += h;
      // The implicit QL transformation.
      p = d[m];
      let c = 1;
      let c2 = c;
      let c3 = c;
      const el1 = e[l + 1];
      let s = 0;
      let s2 = 0;
      for (let i = m - 1; i >= l; i--) {
        c3 = c2;
        c2 = c;
        s2 = s;
        g = c * e[i];
        h = c * p;
        r = hypot(p, e[i]);
        e[i + 1] = s * r;
        s = e[i] / r;
        c = p / r;
        p = c * d[i] - s * g;
        d[i + 1] = h + s * (c * g + s * d[i]);
        // Rotate eigenvector rows i and i + 1.
        const [row, below] = [i * n, (i + 1) * n];
        for (let k = 0; k < n; k++) {
          const t = v[below + k];
          v[below + k] = s * v[row + k] + c * t;
          v[row + k] = c * v[row + k] - s * t;
        }
      }
      p = (-s * s2 * c3 * el1 * e[l]) / dl1;
      e[l] = s * p;
      d[l] = c * p;
    }
    d[l] += f;
    e[l] = 0;
  }
  // Ascending, with their vectors.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = v[i * n + j];
        v[i * n + j] = v[k * n + j];
        v[k * n + j] = t;
      }
    }
  }
}

/** √(a² + b²); Math.hypot guards the rare operands whose squares over- or underflow (and is slower). */
function hypot(a: number, b: number): number {
  const r = Math.sqrt(a * a + b * b);
  return Number.isFinite(r) && (r > 0 || (a === 0 && b === 0)) ? r : Math.hypot(a, b);
}
