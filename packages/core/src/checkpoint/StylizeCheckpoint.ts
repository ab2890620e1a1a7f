import type { LossValues, VggImage } from '../engines/types.ts';
import type { OptimizerState } from '../optimizers/optimizerState.ts';
import type { ScalePlan } from '../plan/ScalePlan.ts';
import type { ResolvedOptions } from '../request/ResolvedOptions.ts';
import type { ScaleStats } from '../plan/ScaleStats.ts';
import type { VggModelName } from '../vgg/architecture.ts';

/**
 * What a run is: stylize resumes a checkpoint only for a request and engine with the same identity. Images are
 * named by `W×H sha256:HEX` of their RGBA bytes as stylize receives them (requestIdentity.ts).
 */
export interface RunIdentity {
  inputs: {
    content: string;
    styles: Array<{ image: string; weight: number; mask?: string }>;
    contentMask?: string;
    initImage?: string;
  };
  /** The options as resolved (defaults filled, the schedule decided), the seed among them. */
  options: ResolvedOptions;
  /**
   * The engine's backend name and model, the version of @pastiche/core, whose engines compute the objective, and the
   * library and its version that runs them (Engine.runtime: 'onnxruntime-node 1.30.0'), whose kernels decide the last bits.
   */
  engine: { name: string; model: VggModelName; version: string; runtime?: string };
}

/**
 * Everything needed to continue a stylize run exactly where it was: taken between two optimiser steps, or at
 * the end of a scale. Stored by encodeCheckpoint (checkpointFormat.ts); given back as `request.resume`.
 */
export interface StylizeCheckpoint {
  identity: RunIdentity;
  /** Each scale as planned (size, tiles, L-BFGS pairs) and its budget: a resumed run keeps this plan. */
  plan: { scales: ScalePlan[]; budgets: number[] };
  position: {
    /**
     * With `optimizer`: the scale in progress. Without: the next scale to start, from `image` (scales.length:
     * every scale is done and `image` is the result).
     */
    scale: number;
    /** Evaluations done over all scales, and the run's time so far. */
    totalEvaluations: number;
    elapsedMs: number;
    /** The previous scale's L-BFGS γ, which scales the first step at this one. */
    inverseHessianScale?: number;
  };
  /** The scales finished, as StylizeResult reports them. */
  finishedScales: ScaleStats[];
  /** At the end of a scale: its result (VGG input) and that result's loss terms. */
  image?: VggImage;
  loss?: LossValues;
  /** Within a scale: the optimiser between two steps (its current and best images included) and the terms of its best point. */
  optimizer?: OptimizerState;
  bestTerms?: LossValues;
  /** What the host records to resume the run (the CLI: its arguments). JSON; stylize ignores it. */
  host?: unknown;
}

/**
 * When a run checkpoints between optimiser steps: once either this many evaluations or this much time has passed
 * since the last checkpoint, but never before the time since the last is (1 − maxShare) / maxShare times what that
 * one took (onCheckpoint's time: encoding and writing), so that checkpoints take at most maxShare of the run.
 * Also at the end of each scale, and when the run is aborted.
 */
export interface CheckpointEvery {
  evaluations: number;
  ms: number;
  /** Default 0.02. */
  maxShare?: number;
}
