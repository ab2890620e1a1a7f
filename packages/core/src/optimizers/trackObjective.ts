import type { Evaluation, Objective } from './types.ts';

/** An objective wrapped to enforce the evaluation budget, check gradients and remember the best point seen. */
export interface TrackedObjective {
  /** Calls the objective; throws if the budget is already spent. */
  evaluate(x: Float32Array): Promise<Evaluation>;
  readonly evaluations: number;
  readonly remaining: number;
  /** The lowest finite loss after each evaluation (index i: after evaluation i + 1; Infinity before the first finite one). */
  readonly bestLosses: readonly number[];
  /** The best point seen (lowest finite loss). */
  best(): { x: Float32Array; loss: number };
}

/** Validates the arguments shared by every optimiser's `minimize` and wraps the objective. */
export function trackObjective(objective: Objective, x0: Float32Array, maxEvaluations: number): TrackedObjective {
  if (!Number.isInteger(maxEvaluations) || maxEvaluations < 1) {
    throw new RangeError(`maxEvaluations must be an integer ≥ 1, got ${maxEvaluations}`);
  }
  if (!(x0 instanceof Float32Array)) throw new RangeError('x0 must be a Float32Array');
  const size = x0.length;
  let evaluations = 0;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestX: Float32Array | undefined;
  const bestLosses: number[] = [];

  return {
    async evaluate(x) {
      if (evaluations >= maxEvaluations) throw new Error('evaluation budget exhausted (optimiser bug)');
      evaluations += 1;
      const evaluation = await objective(x);
      const { loss, grad } = evaluation;
      if (!(grad instanceof Float32Array) || grad.length !== size) {
        throw new Error(`objective returned a gradient of length ${grad?.length}, expected ${size}`);
      }
      if (Number.isFinite(loss) && loss < bestLoss) {
        bestX = x.slice(); // a copy: the optimiser may reuse x's memory
        bestLoss = loss;
      }
      bestLosses.push(bestLoss);
      return evaluation;
    },
    get evaluations() {
      return evaluations;
    },
    get remaining() {
      return maxEvaluations - evaluations;
    },
    bestLosses,
    best() {
      if (bestX === undefined) throw new Error('no evaluation returned a finite loss');
      return { x: bestX, loss: bestLoss };
    },
  };
}
