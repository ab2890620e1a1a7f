import * as tf from '@tensorflow/tfjs-core';
import type { Evaluation, Objective } from './types.ts';

/** An objective wrapped to enforce the evaluation budget, check gradients and remember the best point seen. */
export interface TrackedObjective {
  /** Calls the objective; throws if the budget is already spent. The caller owns the returned grad. */
  evaluate(x: tf.Tensor1D): Promise<Evaluation>;
  readonly evaluations: number;
  readonly remaining: number;
  /** Transfers the best point seen (lowest finite loss) to the caller. */
  takeBest(): { x: tf.Tensor1D; loss: number };
  /** Releases the best point if it was not taken. */
  dispose(): void;
}

/** Validates the arguments shared by every optimiser's `minimize` and wraps the objective. */
export function trackObjective(objective: Objective, x0: tf.Tensor1D, maxEvaluations: number): TrackedObjective {
  if (!Number.isInteger(maxEvaluations) || maxEvaluations < 1) {
    throw new RangeError(`maxEvaluations must be an integer ≥ 1, got ${maxEvaluations}`);
  }
  if (x0.rank !== 1) throw new RangeError(`x0 must be a 1-D tensor, got shape [${x0.shape.join(', ')}]`);
  const size = x0.size;
  let evaluations = 0;
  let bestLoss = Number.POSITIVE_INFINITY;
  // A clone shares the backend buffer, so remembering the best point costs no copy.
  let bestX: tf.Tensor1D | undefined;

  return {
    async evaluate(x) {
      if (evaluations >= maxEvaluations) throw new Error('evaluation budget exhausted (optimiser bug)');
      evaluations += 1;
      const evaluation = await objective(x);
      const { loss, grad } = evaluation;
      // Duck-typed rather than instanceof: a second copy of tfjs-core would fail instanceof.
      if (grad?.rank !== 1 || grad.size !== size) {
        grad?.dispose?.();
        throw new Error(`objective returned a gradient of shape [${grad?.shape?.join(', ')}], expected [${size}]`);
      }
      if (Number.isFinite(loss) && loss < bestLoss) {
        bestX?.dispose();
        bestX = tf.clone(x);
        bestLoss = loss;
      }
      return evaluation;
    },
    get evaluations() {
      return evaluations;
    },
    get remaining() {
      return maxEvaluations - evaluations;
    },
    takeBest() {
      if (bestX === undefined) throw new Error('no evaluation returned a finite loss');
      const best = { x: bestX, loss: bestLoss };
      bestX = undefined;
      return best;
    },
    dispose() {
      bestX?.dispose();
      bestX = undefined;
    },
  };
}
