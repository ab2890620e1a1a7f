import type { TrackedState } from './optimizerState.ts';
import type { Evaluation, Objective } from './types.ts';

/** An objective wrapped to enforce the evaluation budget, check gradients and remember the best point seen. */
export interface TrackedObjective {
  /** Calls the objective; throws if the budget is already spent. */
  evaluate(x: Float32Array): Promise<Evaluation>;
  readonly evaluations: number;
  readonly remaining: number;
  /** The lowest finite loss after each evaluation (index i: after evaluation i + 1; Infinity before the first finite one). */
  readonly bestLosses: readonly number[];
  /** The best point seen (lowest finite loss), a copy of its own. */
  best(): { x: Float32Array; loss: number };
  /** What restoring continues from (trackObjective's `from`). */
  exportState(): TrackedState;
}

/** Validates the arguments shared by every optimiser's `minimize` and wraps the objective; `from`: continue an exported state. */
export function trackObjective(objective: Objective, x0: Float32Array, maxEvaluations: number, from?: TrackedState): TrackedObjective {
  if (!Number.isInteger(maxEvaluations) || maxEvaluations < 1) {
    throw new RangeError(`maxEvaluations must be an integer ≥ 1, got ${maxEvaluations}`);
  }
  if (!(x0 instanceof Float32Array)) throw new RangeError('x0 must be a Float32Array');
  const size = x0.length;
  if (from && (from.evaluations > maxEvaluations || from.bestLosses.length !== from.evaluations || (from.best && from.best.x.length !== size))) {
    throw new RangeError(`the state to resume (${from.evaluations} evaluations of a point of ${from.best?.x.length} values) does not fit this minimisation (${maxEvaluations} evaluations of ${size})`);
  }
  let evaluations = from?.evaluations ?? 0;
  let bestLoss = from?.best?.loss ?? Number.POSITIVE_INFINITY;
  let bestX: Float32Array | undefined = from?.best?.x;
  const bestLosses: number[] = from ? Array.from(from.bestLosses) : [];

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
        bestX = x; // the optimisers never write to a point once evaluated (so their exported states may share it)
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
      return { x: bestX.slice(), loss: bestLoss };
    },
    exportState() {
      return { evaluations, ...(bestX && { best: { x: bestX, loss: bestLoss } }), bestLosses: Float64Array.from(bestLosses) };
    },
  };
}
