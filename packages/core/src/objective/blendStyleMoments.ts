import { createSymmetricEigensolver } from './symmetricEigen.ts';
import type { WassersteinTarget } from './wassersteinTerm.ts';

/**
 * ε added to both covariances of the Wasserstein style term (wassersteinTerm.ts), as a share of the target's
 * mean variance tr(Σ̄)/C: it keeps Σ̄ and P = Σ̄^½ Σ Σ̄^½ away from singular (features after a ReLU are often
 * all zero in some channels). crowsonkb's style_transfer.py adds 10⁻⁴ on features of [0, 1] images, a fixed
 * number; as a share it does not depend on the network's input scale (ours 0–255) or the layer.
 */
export const COVARIANCE_EPSILON = 1e-4;

/**
 * One target for several styles: their means μ_s and second raw moments S_s weighted by their blend weights
 * (raw moments blend linearly, covariances do not: crowsonkb's get_target), then Σ̄ = S̄ − μ̄μ̄ᵀ + εI and its
 * square root Σ̄^½ = Vᵀ Λ^½ V by an eigendecomposition, once per style and scale, in float64. Blending changes
 * the target, as crowsonkb's does: the blend of two styles is the Gaussian of their mixed statistics, not a
 * weighted sum of two distances.
 */
export function blendStyleMoments(moments: Array<{ mean: Float32Array; second: Float32Array }>, weights: number[]): WassersteinTarget {
  const total = weights.reduce((a, b) => a + b, 0);
  const channels = moments[0].mean.length;
  const mean = new Float64Array(channels);
  const covariance = new Float64Array(channels * channels);
  moments.forEach((m, s) => {
    const w = weights[s] / total;
    for (let i = 0; i < channels; i++) mean[i] += w * m.mean[i];
    for (let i = 0; i < covariance.length; i++) covariance[i] += w * m.second[i];
  });
  let trace = 0;
  for (let i = 0; i < channels; i++) {
    for (let j = 0; j < channels; j++) covariance[i * channels + j] -= mean[i] * mean[j];
    trace += covariance[i * channels + i];
  }
  // A style whose features are constant at this layer (a flat image) has no variance to take a share of.
  const epsilon = trace > 0 ? COVARIANCE_EPSILON * (trace / channels) : 1;
  for (let i = 0; i < channels; i++) covariance[i * channels + i] += epsilon;
  return { mean, covarianceRoot: symmetricSquareRoot(covariance, channels), covarianceTrace: trace + channels * epsilon, epsilon };
}

/** A^½ of a symmetric positive semi-definite n × n matrix (eigenvalues below 0 by rounding taken as 0), exactly symmetric. */
export function symmetricSquareRoot(a: Float64Array, n: number): Float64Array {
  // The moments' float32 rounding leaves A symmetric only nearly.
  const symmetric = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) symmetric[i * n + j] = (a[i * n + j] + a[j * n + i]) / 2;
  const { values, vectors } = createSymmetricEigensolver(n)(symmetric);
  // Σ_i √λ_i v_i v_iᵀ, the upper triangle, then mirrored.
  const root = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(Math.max(values[i], 0));
    const v = i * n;
    for (let row = 0; row < n; row++) {
      const c = r * vectors[v + row];
      if (c === 0) continue;
      for (let column = row; column < n; column++) root[row * n + column] += c * vectors[v + column];
    }
  }
  for (let row = 0; row < n; row++) for (let column = 0; column < row; column++) root[row * n + column] = root[column * n + row];
  return root;
}
