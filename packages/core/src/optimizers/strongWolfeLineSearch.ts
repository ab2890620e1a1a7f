import { minimizeInterpolatingCubic } from './minimizeInterpolatingCubic.ts';

/** φ(α) and φ'(α) at one trial step, with whatever the caller needs to keep if the step is accepted. */
export interface LineSearchSample<P> {
  value: number;
  slope: number;
  payload: P;
}

export interface LineSearchPoint<P> extends LineSearchSample<P> {
  step: number;
}

export interface StrongWolfeOptions {
  /** Sufficient decrease: φ(α) ≤ φ(0) + c1·α·φ'(0). */
  c1: number;
  /** Curvature: |φ'(α)| ≤ c2·|φ'(0)|. */
  c2: number;
  /** Evaluations of φ this search may make. */
  maxEvaluations: number;
  /** Give up once the bracket is narrower than this (in α units): no representable progress is left. */
  stepTolerance: number;
}

export const DEFAULT_STRONG_WOLFE_OPTIONS: Readonly<StrongWolfeOptions> = {
  c1: 1e-4,
  c2: 0.9,
  maxEvaluations: 25,
  stepTolerance: 1e-9,
};

export interface StrongWolfeResult<P> {
  /** 'satisfied': `point` meets the strong Wolfe conditions. Otherwise the search ran out of evaluations or bracket width. */
  status: 'satisfied' | 'evaluationLimit' | 'bracketTooSmall';
  /**
   * The Wolfe point when satisfied; otherwise the lowest trial still held whose value is below φ(0),
   * if any.
   */
  point: LineSearchPoint<P> | undefined;
  evaluations: number;
}

interface Held<P> {
  step: number;
  value: number;
  slope: number;
  /** Absent for α = 0, whose state belongs to the caller. */
  payload?: { value: P };
}

/**
 * Line search for a step satisfying the strong Wolfe conditions: bracketing phase then zoom
 * (Nocedal & Wright, Algorithms 3.5 and 3.6), with safeguarded cubic interpolation in both phases
 * as in torch.optim.lbfgs `_strong_wolfe` (extrapolation limited to [α + 0.01(α − α_prev), 10α];
 * zoom trials kept at least 10% of the bracket away from its ends when progress stalls).
 *
 * An error from `phi` propagates.
 */
export async function strongWolfeLineSearch<P>(
  phi: (step: number) => Promise<LineSearchSample<P>>,
  start: { value: number; slope: number },
  initialStep: number,
  options: Partial<StrongWolfeOptions> = {},
): Promise<StrongWolfeResult<P>> {
  const { c1, c2, maxEvaluations, stepTolerance } = { ...DEFAULT_STRONG_WOLFE_OPTIONS, ...options };
  if (!Number.isFinite(start.value)) throw new RangeError(`φ(0) must be finite, got ${start.value}`);
  if (!(start.slope < 0) || !Number.isFinite(start.slope)) {
    throw new RangeError(`φ'(0) must be finite and negative (a descent direction), got ${start.slope}`);
  }
  if (!(initialStep > 0) || !Number.isFinite(initialStep)) {
    throw new RangeError(`initialStep must be finite and > 0, got ${initialStep}`);
  }
  if (!(c1 > 0 && c1 < c2 && c2 < 1)) throw new RangeError(`need 0 < c1 < c2 < 1, got c1=${c1}, c2=${c2}`);
  if (!Number.isInteger(maxEvaluations) || maxEvaluations < 1) {
    throw new RangeError(`maxEvaluations must be an integer ≥ 1, got ${maxEvaluations}`);
  }
  if (!(stepTolerance >= 0)) throw new RangeError(`stepTolerance must be ≥ 0, got ${stepTolerance}`);

  const origin: Held<P> = { step: 0, value: start.value, slope: start.slope };
  const held = new Set<Held<P>>();
  let evaluations = 0;

  const sample = async (step: number): Promise<Held<P>> => {
    evaluations += 1;
    const { value, slope, payload } = await phi(step);
    const point: Held<P> = { step, value, slope, payload: { value: payload } };
    held.add(point);
    return point;
  };
  // Trials that left the bracket no longer count as the fallback point.
  const drop = (point: Held<P>) => held.delete(point);
  const finish = (status: StrongWolfeResult<P>['status'], point: Held<P> | undefined): StrongWolfeResult<P> => {
    const result = point && { step: point.step, value: point.value, slope: point.slope, payload: point.payload!.value };
    return { status, point: result, evaluations };
  };
  // NaN-safe: a non-finite value fails sufficient decrease, so overflowing steps get bracketed.
  const sufficientDecrease = (p: Held<P>) => p.value <= start.value + c1 * p.step * start.slope;
  const curvature = (p: Held<P>) => Math.abs(p.slope) <= -c2 * start.slope;
  const lowestBelowStart = (): Held<P> | undefined => {
    let lowest: Held<P> | undefined;
    for (const p of held) if (p.value < (lowest?.value ?? start.value)) lowest = p;
    return lowest;
  };

  // Bracketing (Algorithm 3.5): grow the step until an interval is known to contain a Wolfe point.
  let previous = origin;
  let current = await sample(initialStep);
  let lo: Held<P>;
  let hi: Held<P>;
  for (;;) {
    if (!sufficientDecrease(current) || (previous !== origin && current.value >= previous.value)) {
      [lo, hi] = [previous, current];
      break;
    }
    if (curvature(current)) return finish('satisfied', current);
    if (current.slope >= 0) {
      [lo, hi] = [current, previous];
      break;
    }
    if (evaluations >= maxEvaluations) return finish('evaluationLimit', lowestBelowStart());
    const next = minimizeInterpolatingCubic(
      previous.step, previous.value, previous.slope,
      current.step, current.value, current.slope,
      [current.step + 0.01 * (current.step - previous.step), 10 * current.step],
    );
    drop(previous);
    previous = current;
    current = await sample(next);
  }

  // Zoom (Algorithm 3.6). Invariants: lo has the lowest value among trials satisfying sufficient
  // decrease, and φ'(lo)·(hi − lo) < 0, so a Wolfe point lies between them.
  let insufficientProgress = false;
  for (;;) {
    if (Math.abs(hi.step - lo.step) < stepTolerance) return finish('bracketTooSmall', lowestBelowStart());
    if (evaluations >= maxEvaluations) return finish('evaluationLimit', lowestBelowStart());
    const left = Math.min(lo.step, hi.step);
    const right = Math.max(lo.step, hi.step);
    let step = minimizeInterpolatingCubic(lo.step, lo.value, lo.slope, hi.step, hi.value, hi.slope);
    // Interpolation can keep landing next to one end; after two such trials, force a 10% cut.
    const margin = 0.1 * (right - left);
    if (Math.min(right - step, step - left) < margin) {
      if (insufficientProgress || step >= right || step <= left) {
        step = Math.abs(step - right) < Math.abs(step - left) ? right - margin : left + margin;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }

    const trial = await sample(step);
    if (!sufficientDecrease(trial) || trial.value >= lo.value) {
      drop(hi);
      hi = trial;
    } else {
      if (curvature(trial)) return finish('satisfied', trial);
      if (trial.slope * (hi.step - lo.step) >= 0) {
        drop(hi);
        hi = lo;
      } else {
        drop(lo);
      }
      lo = trial;
    }
  }
}
