import type { LossValues, VggImage } from '../engine/types.ts';
import type { OptimizerState } from '../optimizers/optimizerState.ts';
import type { ScaleStats } from '../stylize.ts';
import type { CheckpointEvery, RunIdentity, StylizeCheckpoint } from './StylizeCheckpoint.ts';

/**
 * Measured (docs/checkpoints.md): encoding and writing a checkpoint costs about as much as N evaluations at any size
 * (both grow with the pixels); these keep it under 2 % of a run. The time rule bounds what a crash loses on slow runs.
 */
export const DEFAULT_CHECKPOINT_EVERY: Readonly<CheckpointEvery> = { evaluations: 50, ms: 60_000 };

/** Where the run is, as stylize keeps it; read whenever a checkpoint is taken. */
export interface RunPosition {
  scale: number;
  totalEvaluations: number;
  elapsedMs: number;
  inverseHessianScale?: number;
  finishedScales: ScaleStats[];
}

/**
 * Decides when a run checkpoints and builds the checkpoints: between optimiser steps once `every` says so, at the end
 * of each scale, and, when the run is stopped, at the last step reached since the last checkpoint (flush).
 */
export function createCheckpointer(
  identity: RunIdentity,
  plan: StylizeCheckpoint['plan'],
  onCheckpoint: (checkpoint: StylizeCheckpoint) => void | Promise<void>,
  every: CheckpointEvery,
  startEvaluations: number,
) {
  let last = { evaluations: startEvaluations, at: performance.now() };
  let pending: StylizeCheckpoint | undefined;

  const build = (position: RunPosition, taken: Partial<StylizeCheckpoint>): StylizeCheckpoint => {
    const { finishedScales, ...where } = position;
    return { identity, plan, position: where, finishedScales: [...finishedScales], ...taken };
  };
  const emit = async (checkpoint: StylizeCheckpoint) => {
    pending = undefined;
    last = { evaluations: checkpoint.position.totalEvaluations, at: performance.now() };
    await onCheckpoint(checkpoint);
  };

  return {
    /** An optimiser step boundary: remembered (its arrays are not copied), and emitted when due. */
    async betweenSteps(position: RunPosition, optimizer: OptimizerState, bestTerms: LossValues | undefined): Promise<void> {
      if (position.totalEvaluations === last.evaluations) return; // nothing new since the last checkpoint (or the resumed one)
      pending = build(position, { optimizer, ...(bestTerms && { bestTerms }) });
      if (position.totalEvaluations - last.evaluations >= every.evaluations || performance.now() - last.at >= every.ms) await emit(pending);
    },
    /** A scale's end: `position.scale` is the next scale's; `image` its start (or the run's result after the last). */
    async scaleFinished(position: RunPosition, image: VggImage, loss: LossValues): Promise<void> {
      await emit(build(position, { image, loss }));
    },
    /** The run stops: the last step reached, if it is newer than the last checkpoint. */
    async flush(): Promise<void> {
      if (pending) await emit(pending);
    },
  };
}
