import { createLbfgsHistory } from './lbfgsHistory.ts';
import { takeOptimizerState, type LbfgsState, type OptimizerState } from './optimizerState.ts';
import { strongWolfeLineSearch, type LineSearchSample } from './strongWolfeLineSearch.ts';
import { trackObjective } from './trackObjective.ts';
import type { MinimizeHints, MinimizeResult, Objective, Optimizer } from './types.ts';
import { addScaled, dot, maxAbs, norm } from './vectors.ts';

/** Reported after every accepted step. */
export interface LbfgsIterationInfo {
  /** Accepted steps so far, this one included. */
  iteration: number;
  /** Objective calls so far. */
  evaluations: number;
  /** Loss at the accepted point. */
  loss: number;
  /** Step length α accepted along the search direction. */
  step: number;
  /** Curvature pairs the direction was built from; 0 means steepest descent (first step, restart or reset). */
  historyLength: number;
}

export interface LbfgsConfig {
  /** Curvature pairs kept (m). */
  historySize: number;
  /**
   * Clear the history once this many evaluations have been made since the last clear, checked between
   * iterations. Mimics calling scipy's fmin_l_bfgs_b repeatedly with maxfun = restartEvery (the reference
   * notebooks run 10 such rounds of 20 evaluations: restartEvery 20, budget 200). undefined: never.
   */
  restartEvery: number | undefined;
  /** Strong Wolfe sufficient-decrease constant. */
  c1: number;
  /** Strong Wolfe curvature constant. */
  c2: number;
  /** Converged when max|g| ≤ this. */
  gradientTolerance: number;
  /** Converged when an accepted step changes the loss by ≤ this relative to max(|f_k|, |f_k+1|, 1) (scipy's factr·eps). */
  lossTolerance: number;
  /**
   * Steepest-descent iterations (the first, and after a restart or reset) first try α = min(1, 1/‖g‖)
   * in this norm. 1 is torch.optim.LBFGS's rule; 2 is scipy's (a trial step of unit length), whose
   * largest component moves by ≥ 1/√n: with n in the millions, torch's 1/‖g‖₁ step can fall below
   * float32 resolution of x, leaving the loss unchanged and the line search failing.
   */
  initialStepNorm: 1 | 2;
  /** Objective calls one line search may make (torch's max_ls). */
  maxLineSearchEvaluations: number;
  /** Progress callback, e.g. for a UI or for tests. */
  onIteration: ((info: LbfgsIterationInfo) => void) | undefined;
}

export const DEFAULT_LBFGS_CONFIG: Readonly<LbfgsConfig> = {
  historySize: 10,
  restartEvery: undefined,
  c1: 1e-4,
  c2: 0.9,
  gradientTolerance: 1e-5,
  lossTolerance: 1e7 * Number.EPSILON, // scipy's default factr = 1e7
  initialStepNorm: 2,
  maxLineSearchEvaluations: 25,
  onIteration: undefined,
};

/** Line-search bracket width below which no progress is representable, in units of max|Δx| (torch's tolerance_change). */
const STEP_TOLERANCE = 1e-9;

interface Trial {
  x: Float32Array;
  grad: Float32Array;
  maxAbsGrad: number;
}

function validateLbfgsConfig(config: LbfgsConfig): void {
  const fail = (field: keyof LbfgsConfig, requirement: string) => {
    throw new RangeError(`L-BFGS config: ${field} must be ${requirement}, got ${String(config[field])}`);
  };
  if (!Number.isInteger(config.historySize) || config.historySize < 1) fail('historySize', 'an integer ≥ 1');
  if (config.restartEvery !== undefined && (!Number.isInteger(config.restartEvery) || config.restartEvery < 1)) {
    fail('restartEvery', 'undefined or an integer ≥ 1');
  }
  if (!(config.c1 > 0 && config.c1 < 1)) fail('c1', 'in (0, 1)');
  if (!(config.c2 > config.c1 && config.c2 < 1)) fail('c2', 'in (c1, 1)');
  if (!(config.gradientTolerance >= 0) || !Number.isFinite(config.gradientTolerance)) {
    fail('gradientTolerance', 'finite and ≥ 0');
  }
  if (!(config.lossTolerance >= 0) || !Number.isFinite(config.lossTolerance)) fail('lossTolerance', 'finite and ≥ 0');
  if (config.initialStepNorm !== 1 && config.initialStepNorm !== 2) fail('initialStepNorm', '1 or 2');
  if (!Number.isInteger(config.maxLineSearchEvaluations) || config.maxLineSearchEvaluations < 1) {
    fail('maxLineSearchEvaluations', 'an integer ≥ 1');
  }
  if (config.onIteration !== undefined && typeof config.onIteration !== 'function') fail('onIteration', 'a function');
}

/**
 * Limited-memory BFGS with a strong Wolfe line search (as torch.optim.LBFGS with
 * line_search_fn='strong_wolfe'). Every objective call, line-search ones included, counts against
 * the budget; the result is the best point seen.
 */
export function createLbfgs(config: Partial<LbfgsConfig> = {}): Optimizer {
  const settings: LbfgsConfig = { ...DEFAULT_LBFGS_CONFIG, ...config };
  validateLbfgsConfig(settings);
  const {
    historySize,
    restartEvery,
    c1,
    c2,
    gradientTolerance,
    lossTolerance,
    initialStepNorm,
    maxLineSearchEvaluations,
    onIteration,
  } = settings;

  async function minimize(objective: Objective, x0: Float32Array, maxEvaluations: number, hints: MinimizeHints = {}): Promise<MinimizeResult> {
    let resumed = hints.resume && restoreLbfgsState(hints.resume, x0.length);
    const tracked = trackObjective(objective, x0, maxEvaluations, resumed?.tracked);
    const history = createLbfgsHistory(historySize, resumed);
    let x: Float32Array;
    let grad: Float32Array;
    let loss: number;
    if (resumed) {
      ({ x, grad, loss } = resumed);
    } else {
      x = x0;
      ({ grad, loss } = await tracked.evaluate(x));
      if (!Number.isFinite(loss)) throw new Error(`objective returned a non-finite loss (${loss}) at the starting point`);
    }
    let maxAbsGrad = maxAbs(grad);
    if (!Number.isFinite(maxAbsGrad)) throw new Error('objective returned a non-finite gradient at the starting point');
    let iterations = resumed?.iterations ?? 0;
    let evaluationsAtRestart = resumed?.evaluationsAtRestart ?? 0;
    resumed = undefined; // read: the steps replace its arrays, which it must not keep alive
    let stopReason: MinimizeResult['stopReason'];

    for (;;) {
      // x and grad are replaced, never written to, by each accepted step: the state can refer to them.
      await hints.betweenSteps?.({ kind: 'lbfgs', tracked: tracked.exportState(), x, grad, loss, iterations, evaluationsAtRestart, ...history.exportState() });
      if (maxAbsGrad <= gradientTolerance) {
        stopReason = 'converged';
        break;
      }
      if (tracked.remaining === 0) {
        stopReason = 'budget';
        break;
      }
      if (hints.stopEarly?.(tracked.bestLosses)) {
        stopReason = 'plateau';
        break;
      }
      if (restartEvery !== undefined && tracked.evaluations - evaluationsAtRestart >= restartEvery) {
        history.clear();
        evaluationsAtRestart = tracked.evaluations;
      }

      const historyLength = history.size;
      const currentX = x;
      const d = history.direction(grad);
      const slope = dot(grad, d);
      if (!(slope < 0)) {
        // Not a descent direction: the curvature pairs mislead, fall back to −g. If even −g is not
        // downhill, the gradient is numerically zero.
        if (historyLength === 0) {
          stopReason = 'converged';
          break;
        }
        history.clear();
        continue;
      }

      // Steepest-descent steps have no curvature information to scale them, unless a related run left some.
      const hinted = iterations === 0 ? hints.inverseHessianScale : undefined;
      const initialStep =
        historyLength > 0 ? 1 : hinted !== undefined && hinted > 0 && Number.isFinite(hinted) ? cappedHintedStep(hinted, loss, grad, hints.lossLowerBound) : Math.min(1, 1 / norm(grad, initialStepNorm));
      const phi = async (step: number): Promise<LineSearchSample<Trial>> => {
        const trialX = addScaled(currentX, d, step);
        const evaluation = await tracked.evaluate(trialX);
        const g = evaluation.grad;
        return { value: evaluation.loss, slope: dot(g, d), payload: { x: trialX, grad: g, maxAbsGrad: maxAbs(g) } };
      };
      const search = await strongWolfeLineSearch(phi, { value: loss, slope }, initialStep, {
        c1,
        c2,
        maxEvaluations: Math.min(maxLineSearchEvaluations, tracked.remaining),
        stepTolerance: STEP_TOLERANCE / maxAbs(d),
      });

      if (search.status !== 'satisfied' || search.point === undefined) {
        // The best trial is already remembered by `tracked`; keep the iterate unchanged (as scipy does).
        if (tracked.remaining === 0) {
          stopReason = 'budget';
          break;
        }
        if (historyLength === 0) {
          stopReason = 'converged'; // not even a steepest-descent step makes progress
          break;
        }
        history.clear();
        continue;
      }

      const accepted = search.point;
      history.update(x, grad, accepted.payload.x, accepted.payload.grad);
      x = accepted.payload.x;
      grad = accepted.payload.grad;
      const previousLoss = loss;
      loss = accepted.value;
      maxAbsGrad = accepted.payload.maxAbsGrad;
      iterations += 1;
      onIteration?.({ iteration: iterations, evaluations: tracked.evaluations, loss, step: accepted.step, historyLength });
      if (previousLoss - loss <= lossTolerance * Math.max(Math.abs(previousLoss), Math.abs(loss), 1)) {
        stopReason = 'converged';
        break;
      }
    }

    const best = tracked.best();
    return { x: best.x, loss: best.loss, evaluations: tracked.evaluations, iterations, stopReason, inverseHessianScale: history.gamma };
  }

  return { minimize };
}

/**
 * The hinted first step γ, capped by Polyak's step (f − f_low) / ‖g‖²: the step along −g at which the loss
 * would reach its lower bound if it were linear there (on a quadratic whose minimum is the bound, half the exact
 * step). A γ carried from a coarser scale can be far too long at the next (the full-depth objective at
 * 128 → 256 px: ten times, the first trial's loss ×56, docs/schedule.md); the cap costs nothing where γ fits.
 */
function cappedHintedStep(hinted: number, loss: number, grad: Float32Array, lossLowerBound: number | undefined): number {
  if (lossLowerBound === undefined) return hinted;
  const polyak = (loss - lossLowerBound) / dot(grad, grad);
  return polyak > 0 && Number.isFinite(polyak) ? Math.min(hinted, polyak) : hinted;
}

/** Checks that an exported state is L-BFGS's and of this size, and takes its arrays over. */
function restoreLbfgsState(state: OptimizerState, size: number): LbfgsState {
  if (state.kind !== 'lbfgs') throw new RangeError(`the state to resume is ${state.kind}'s, not L-BFGS's`);
  if (state.x.length !== size || state.grad.length !== size) throw new RangeError(`the state to resume is of ${state.x.length} values, not ${size}`);
  return takeOptimizerState(state);
}
