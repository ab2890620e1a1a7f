import type * as tf from '@tensorflow/tfjs-core';

/** One evaluation of the objective. The optimiser owns `grad` and disposes it. */
export interface Evaluation {
  loss: number;
  grad: tf.Tensor1D;
}

/** Must not dispose x. May throw (e.g. on abort): the optimiser must then release every tensor it holds and rethrow. */
export type Objective = (x: tf.Tensor1D) => Promise<Evaluation>;

export interface MinimizeResult {
  /** Best point seen (caller owns it). */
  x: tf.Tensor1D;
  /** Its loss. */
  loss: number;
  /** Objective calls made. */
  evaluations: number;
  /** Accepted steps. */
  iterations: number;
  stopReason: 'budget' | 'converged';
  /** L-BFGS: γ = sᵀy / yᵀy of the last curvature pair, the scale of its inverse-Hessian estimate. */
  inverseHessianScale?: number;
}

/** What a previous, related minimisation learnt (e.g. at a coarser scale), to start this one better. */
export interface MinimizeHints {
  /** L-BFGS: the first step is x − γ·g with this γ instead of a unit-length step along −g. */
  inverseHessianScale?: number;
}

export interface Optimizer {
  /** x0 is not disposed. */
  minimize(objective: Objective, x0: tf.Tensor1D, maxEvaluations: number, hints?: MinimizeHints): Promise<MinimizeResult>;
}
