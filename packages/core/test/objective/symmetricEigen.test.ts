import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSymmetricEigensolver, type SymmetricEigen } from '../../src/objective/symmetricEigen.ts';
import { mulberry32 } from '../helpers/random.ts';

/** A random symmetric matrix, entries in [−1, 1). */
function randomSymmetric(n: number, seed: number): Float64Array {
  const next = mulberry32(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = 2 * next() - 1;
  return a;
}

/** A random orthogonal matrix (rows orthonormal), by Gram–Schmidt on random rows. */
function randomOrthogonal(n: number, seed: number): Float64Array {
  const next = mulberry32(seed);
  const q = Float64Array.from({ length: n * n }, () => 2 * next() - 1);
  for (let i = 0; i < n; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += q[i * n + k] * q[j * n + k];
        for (let k = 0; k < n; k++) q[i * n + k] -= dot * q[j * n + k];
      }
    }
    let norm = 0;
    for (let k = 0; k < n; k++) norm += q[i * n + k] ** 2;
    for (let k = 0; k < n; k++) q[i * n + k] /= Math.sqrt(norm);
  }
  return q;
}

/** Qᵀ·diag(λ)·Q for Q's rows q_i: Σ λ_i q_i q_iᵀ. */
function withSpectrum(q: Float64Array, values: number[]): Float64Array {
  const n = values.length;
  const a = new Float64Array(n * n);
  values.forEach((lambda, i) => {
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) a[r * n + c] += lambda * q[i * n + r] * q[i * n + c];
  });
  return a;
}

const frobenius = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));

/** ‖A − VᵀΛV‖ / ‖A‖ and ‖VVᵀ − I‖ (max entry), for eigenvectors as rows. */
function residuals(a: Float64Array, { values, vectors }: SymmetricEigen) {
  const n = values.length;
  const back = withSpectrum(vectors, Array.from(values));
  const reconstruction = frobenius(back.map((x, i) => x - a[i])) / Math.max(frobenius(a), Number.MIN_VALUE);
  let orthogonality = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += vectors[i * n + k] * vectors[j * n + k];
      orthogonality = Math.max(orthogonality, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return { reconstruction, orthogonality };
}

function assertDecomposes(a: Float64Array, n: number, tolerance = 1e-13) {
  const result = createSymmetricEigensolver(n)(a);
  const { reconstruction, orthogonality } = residuals(a, result);
  assert.ok(reconstruction <= tolerance, `‖A − VᵀΛV‖/‖A‖ = ${reconstruction}`);
  assert.ok(orthogonality <= tolerance * 10, `max |VVᵀ − I| = ${orthogonality}`);
  for (let i = 1; i < n; i++) assert.ok(result.values[i] >= result.values[i - 1], `ascending at ${i}`);
  return result;
}

describe('the symmetric eigensolver (Householder + implicit QL, float64)', () => {
  for (const n of [1, 2, 3, 7, 40]) {
    it(`decomposes a random symmetric ${n}×${n} matrix: A = VᵀΛV, V orthogonal, eigenvalues ascending`, () => {
      assertDecomposes(randomSymmetric(n, n), n);
    });
  }

  it('finds a known spectrum spread over twelve orders of magnitude (as covariances with ε have)', () => {
    const n = 30;
    const spectrum = Array.from({ length: n }, (_, i) => 10 ** (-6 + (12 * i) / (n - 1)));
    const { values } = assertDecomposes(withSpectrum(randomOrthogonal(n, 3), spectrum), n);
    // Backward stable: each eigenvalue within a few ulps of ‖A‖ (the smallest are known only that well).
    values.forEach((v, i) => assert.ok(Math.abs(v - spectrum[i]) <= 1e-15 * n * spectrum[n - 1], `λ${i}: ${v} vs ${spectrum[i]}`));
    // The large ones to full relative precision.
    for (let i = n - 10; i < n; i++) assert.ok(Math.abs(values[i] / spectrum[i] - 1) <= 1e-12, `λ${i}: ${values[i]} vs ${spectrum[i]}`);
  });

  it('repeated eigenvalues: an orthonormal basis of each eigenspace', () => {
    const n = 9;
    const spectrum = [-2, -2, 0, 0, 0, 1, 3, 3, 3];
    const { values, vectors } = assertDecomposes(withSpectrum(randomOrthogonal(n, 5), spectrum), n);
    values.forEach((v, i) => assert.ok(Math.abs(v - spectrum[i]) <= 1e-14, `λ${i}: ${v} vs ${spectrum[i]}`));
    // The identity and the zero matrix: every vector is an eigenvector.
    const identity = Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
    assert.deepEqual(Array.from(assertDecomposes(identity, n).values), new Array(n).fill(1));
    const zero = createSymmetricEigensolver(n)(new Float64Array(n * n));
    assert.deepEqual(Array.from(zero.values), new Array(n).fill(0));
    assert.ok(residuals(identity, zero).orthogonality <= 1e-15);
    assert.equal(vectors.length, n * n);
  });

  it('a diagonal matrix: its diagonal, sorted, with unit vectors', () => {
    const diagonal = [5, -1, 3, 0.5];
    const a = new Float64Array(16);
    diagonal.forEach((v, i) => (a[i * 4 + i] = v));
    const { values, vectors } = assertDecomposes(a, 4);
    assert.deepEqual(Array.from(values), [-1, 0.5, 3, 5]);
    // λ = −1 belongs to the second unit vector.
    assert.deepEqual(Array.from(vectors.subarray(0, 4)).map(Math.abs), [0, 1, 0, 0]);
  });

  it('512×512: reconstructs within 1e-12 relative with orthonormal vectors', () => {
    const n = 512;
    const a = randomSymmetric(n, 9);
    const result = createSymmetricEigensolver(n)(a);
    const { reconstruction, orthogonality } = residuals(a, result);
    assert.ok(reconstruction <= 1e-12, `‖A − VᵀΛV‖/‖A‖ = ${reconstruction}`);
    assert.ok(orthogonality <= 1e-12, `max |VVᵀ − I| = ${orthogonality}`);
    // Trace and Frobenius norm are the eigenvalues' sum and root sum of squares.
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    assert.ok(Math.abs(result.values.reduce((s, v) => s + v, 0) - trace) <= 1e-10, 'trace');
    assert.ok(Math.abs(frobenius(result.values) / frobenius(a) - 1) <= 1e-12, 'Frobenius norm');
  });

  it('reuses its buffers: a second call overwrites the first result and is right on its own', () => {
    const solve = createSymmetricEigensolver(6);
    const [a, b] = [randomSymmetric(6, 1), randomSymmetric(6, 2)];
    const first = solve(a);
    const second = solve(b);
    assert.equal(first.values, second.values);
    assert.ok(residuals(b, second).reconstruction <= 1e-13);
    assert.ok(residuals(a, solve(a)).reconstruction <= 1e-13);
  });

  it('refuses a matrix of the wrong size or with a value that is not finite, naming it', () => {
    const solve = createSymmetricEigensolver(3);
    assert.throws(() => solve(new Float64Array(8)), /expected 3×3 = 9 values, got 8/);
    const a = new Float64Array(9);
    a[5] = NaN;
    assert.throws(() => solve(a), /NaN at row 1, column 2/);
    assert.throws(() => createSymmetricEigensolver(0), /positive integer/);
  });
});
