import { createFloat64Matrices, float64Matrix } from './float64Matrices.ts';
import { matrixSquareRoot } from './matrixSquareRoot.ts';

/**
 * ε added to both covariances of the Wasserstein style term (objective.ts), as a share of the target's mean
 * variance tr(Σ̄)/C: it keeps Σ̄^½ and the iteration's matrix away from singular (features after a ReLU are
 * often all zero in some channels). crowsonkb's style_transfer.py adds 10⁻⁴ on features of [0, 1] images, a
 * fixed number; as a share it does not depend on the network's input scale (ours 0–255) or the layer.
 */
export const COVARIANCE_EPSILON = 1e-4;

/** One region's Wasserstein target at one layer: μ̄, Σ̄^½ (C × C, row-major), tr Σ̄ and the ε it holds. */
export interface WassersteinTarget {
  mean: Float32Array;
  covarianceRoot: Float32Array;
  covarianceTrace: number;
  epsilon: number;
}

/**
 * One target for several styles: their means μ_s and second raw moments S_s weighted by their blend weights
 * (raw moments blend linearly, covariances do not: crowsonkb's get_target), then Σ̄ = S̄ − μ̄μ̄ᵀ + εI and its
 * square root, once per style and scale, in float64. Blending changes the target, as crowsonkb's does: the
 * blend of two styles is the Gaussian of their mixed statistics, not a weighted sum of two distances.
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
  const M = createFloat64Matrices();
  const { root } = matrixSquareRoot(M, float64Matrix(channels, channels, covariance));
  // Symmetric up to rounding: made exactly so, as the objective's backward takes it to be.
  const symmetric = M.scale(M.add(root, M.transpose(root)), 0.5);
  return { mean: Float32Array.from(mean), covarianceRoot: Float32Array.from(symmetric.data), covarianceTrace: trace + channels * epsilon, epsilon };
}
