import type { Evaluation, Objective } from '../../src/optimizers/types.ts';

/** A test function evaluated in float64 on the host: f(x) and ∇f(x). */
export type HostFunction = (x: Float64Array) => { loss: number; grad: Float64Array };

export interface RecordedCall {
  x: Float64Array;
  loss: number;
  grad: Float64Array;
}

/** Wraps a host function as an Objective and records every call in order. */
export function recordingObjective(fn: HostFunction): { objective: Objective; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const objective = async (x: Float32Array): Promise<Evaluation> => {
    const point = Float64Array.from(x);
    const { loss, grad } = fn(point);
    calls.push({ x: point, loss, grad });
    return { loss, grad: Float32Array.from(grad) };
  };
  return { objective, calls };
}

/** Rosenbrock chain Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1). */
export const rosenbrock: HostFunction = (x) => {
  const grad = new Float64Array(x.length);
  let loss = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    loss += 100 * a * a + b * b;
    grad[i] += -400 * x[i] * a - 2 * b;
    grad[i + 1] += 200 * a;
  }
  return { loss, grad };
};

/** ½ Σ λ_i (x_i − x*_i)². */
export function diagonalQuadratic(eigenvalues: Float64Array, minimizer: Float64Array): HostFunction {
  return (x) => {
    const grad = new Float64Array(x.length);
    let loss = 0;
    for (let i = 0; i < x.length; i++) {
      const e = x[i] - minimizer[i];
      grad[i] = eigenvalues[i] * e;
      loss += 0.5 * eigenvalues[i] * e * e;
    }
    return { loss, grad };
  };
}

/** Eigenvalues log-spaced from 1 to `conditionNumber`. */
export function logSpacedEigenvalues(dimension: number, conditionNumber: number): Float64Array {
  return Float64Array.from({ length: dimension }, (_, i) => conditionNumber ** (i / (dimension - 1)));
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
