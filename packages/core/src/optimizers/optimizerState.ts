/**
 * What an optimiser holds between two steps, exported so that a minimisation stopped there continues exactly
 * (the checkpoint format stores it: checkpoint/StylizeCheckpoint.ts). Every array is one the optimiser never
 * changes after the export, so a state can be kept and written later while the minimisation goes on.
 */

/** trackObjective's state: the budget spent and the best point seen. */
export interface TrackedState {
  evaluations: number;
  /** The best point seen and its loss; absent before any finite loss. */
  best?: { x: Float32Array; loss: number };
  /** The lowest loss after each evaluation (Infinity before the first finite one): what stop rules read. */
  bestLosses: Float64Array;
}

/** One L-BFGS curvature pair (s = x_{k+1} − x_k, y = g_{k+1} − g_k, rho = 1 / sᵀy). */
export interface CurvaturePairState {
  s: Float32Array;
  y: Float32Array;
  rho: number;
}

export interface LbfgsState {
  kind: 'lbfgs';
  tracked: TrackedState;
  /** The current iterate, its gradient and loss (the last accepted point). */
  x: Float32Array;
  grad: Float32Array;
  loss: number;
  iterations: number;
  /** Evaluations made when the history was last cleared by restartEvery. */
  evaluationsAtRestart: number;
  /** Oldest first. */
  pairs: CurvaturePairState[];
  /** γ of the newest pair ever stored (kept across clears). */
  gamma?: number;
}

export interface AdamState {
  kind: 'adam';
  tracked: TrackedState;
  /** The next point to evaluate, the moments, and the step it is (1-based). */
  x: Float32Array;
  m: Float32Array;
  v: Float32Array;
  step: number;
  iterations: number;
}

export type OptimizerState = LbfgsState | AdamState;

const NO_VALUES = new Float32Array(0);

/**
 * Moves a state's arrays into the minimisation resuming it: returns them in a state of its own and leaves `state`
 * without them (empty x and moments, no pairs, no best point). The minimisation replaces them as it goes, and
 * whoever still holds `state` (the caller's checkpoint, the request, the hints) must not keep the old ones alive:
 * at 4096 px they are 3.2 GB (docs/memory.md). A state thus resumes once.
 */
export function takeOptimizerState<S extends OptimizerState>(state: S): S {
  const taken: OptimizerState = { ...state, tracked: { ...state.tracked } };
  if (state.kind === 'lbfgs') {
    (taken as LbfgsState).pairs = state.pairs.splice(0);
    state.grad = NO_VALUES;
  } else {
    state.m = state.v = NO_VALUES;
  }
  state.tracked.best = undefined;
  state.x = NO_VALUES;
  return taken as S;
}
