/** One evaluation of the objective. The optimiser owns `grad` and does not modify it. */
export interface Evaluation {
  loss: number;
  grad: Float32Array;
}

/** Must not modify or keep x. May throw (e.g. on abort): the optimiser then rethrows. */
export type Objective = (x: Float32Array) => Promise<Evaluation>;

import type { OptimizerState } from './optimizerState.ts';

export interface MinimizeResult {
  /** Best point seen (the caller's). */
  x: Float32Array;
  /** Its loss. */
  loss: number;
  /** Objective calls made. */
  evaluations: number;
  /** Accepted steps. */
  iterations: number;
  /** budget: every evaluation spent; converged: no further step lowers the loss; plateau: hints.stopEarly said so. */
  stopReason: 'budget' | 'converged' | 'plateau';
  /** L-BFGS: γ = sᵀy / yᵀy of the last curvature pair, the scale of its inverse-Hessian estimate. */
  inverseHessianScale?: number;
}

/**
 * The lowest loss seen after each evaluation so far (index i: after evaluation i + 1); true ends the
 * minimisation between steps, with stopReason 'plateau'.
 */
export type StopRule = (bestLosses: readonly number[]) => boolean;

/** What the caller adds: what a previous, related minimisation learnt (e.g. at a coarser scale), and when to stop early. */
export interface MinimizeHints {
  /** L-BFGS: the first step is x − γ·g with this γ instead of a unit-length step along −g. */
  inverseHessianScale?: number;
  /**
   * L-BFGS: a value the loss never falls below (0 for style transfer: every term is a sum of squares or
   * powers). Caps the hinted first step at Polyak's (loss − bound) / ‖g‖², so that a carried γ cannot overshoot.
   */
  lossLowerBound?: number;
  /** Asked between steps (never inside a line search). */
  stopEarly?: StopRule;
  /**
   * Called between steps (never inside a line search) with the optimiser's state there, from which `resume`
   * continues exactly; awaited before the next step. The state's arrays are never changed afterwards.
   */
  betweenSteps?: (state: OptimizerState) => void | Promise<void>;
  /**
   * Continue from a state `betweenSteps` gave (of this optimiser, same size) instead of starting at x0. Its arrays
   * are taken over (takeOptimizerState): `resume` is left without them.
   */
  resume?: OptimizerState;
}

export interface Optimizer {
  /** x0 is not modified. */
  minimize(objective: Objective, x0: Float32Array, maxEvaluations: number, hints?: MinimizeHints): Promise<MinimizeResult>;
}
