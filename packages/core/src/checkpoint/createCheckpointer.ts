import type { LossValues, VggImage } from '../engine/types.ts';
import type { OptimizerState } from '../optimizers/optimizerState.ts';
import type { ScaleStats } from '../stylize.ts';
import type { CheckpointEvery, RunIdentity, StylizeCheckpoint } from './StylizeCheckpoint.ts';

/**
 * Every 20 evaluations or 60 s, whichever comes first, but at most 2 % of the run: a checkpoint at 2048 px (encoded,
 * written) takes several seconds, at 4096 px tens of seconds (docs/checkpoints.md), so big runs checkpoint less
 * often than every 60 s.
 */
export const DEFAULT_CHECKPOINT_EVERY: Readonly<Required<CheckpointEvery>> = { evaluations: 20, ms: 60_000, maxShare: 0.02 };

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
  const maxShare = every.maxShare ?? DEFAULT_CHECKPOINT_EVERY.maxShare;
  // The last checkpoint: the evaluations it was at, when it was done and how long it took.
  let last = { evaluations: startEvaluations, at: performance.now(), tookMs: 0 };
  let pending: StylizeCheckpoint | undefined;

  const build = (position: RunPosition, taken: Partial<StylizeCheckpoint>): StylizeCheckpoint => {
    const { finishedScales, ...where } = position;
    return { identity, plan, position: where, finishedScales: [...finishedScales], ...taken };
  };
  const emit = async (checkpoint: StylizeCheckpoint) => {
    pending = undefined;
    const started = performance.now();
    await onCheckpoint(checkpoint);
    last = { evaluations: checkpoint.position.totalEvaluations, at: performance.now(), tookMs: performance.now() - started };
  };
  const due = (evaluations: number) => {
    const sinceMs = performance.now() - last.at;
    return (evaluations - last.evaluations >= every.evaluations || sinceMs >= every.ms) && sinceMs >= (last.tookMs * (1 - maxShare)) / maxShare;
  };

  return {
    /** An optimiser step boundary: remembered (its arrays are not copied), and emitted when due. */
    async betweenSteps(position: RunPosition, optimizer: OptimizerState, bestTerms: LossValues | undefined): Promise<void> {
      if (position.totalEvaluations === last.evaluations) return; // nothing new since the last checkpoint (or the resumed one)
      pending = build(position, { optimizer, ...(bestTerms && { bestTerms }) });
      if (due(position.totalEvaluations)) await emit(pending);
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
