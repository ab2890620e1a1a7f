import type { BridgeProgress } from '../types.ts';

/** Where the run is, as the run panel shows it. */
export type RunState =
  | { phase: 'idle' }
  | { phase: 'preparing'; step: string }
  | { phase: 'painting'; engine: string; progress?: BridgeProgress; previewUrl?: string }
  | { phase: 'placing'; engine: string; previewUrl?: string }
  /** `notes`: what else the user should know about the result, one sentence each. */
  | { phase: 'done'; name: string; engine: string; elapsedMs: number; notes: string[] }
  | { phase: 'failed'; message: string; hint?: string }
  | { phase: 'cancelled' };

export const isBusy = (run: RunState) => run.phase === 'preparing' || run.phase === 'painting' || run.phase === 'placing';
