import type { BridgeProgress } from '../types.ts';

/** Where the run is, as the run panel shows it. */
export type RunState =
  | { phase: 'idle' }
  | { phase: 'preparing'; step: string }
  /** `onRunner`: the job is the runner's, so the runner's status does not count it as someone else's. */
  | { phase: 'painting'; engine: string; onRunner: boolean; progress?: BridgeProgress; previewUrl?: string }
  | { phase: 'placing'; engine: string; onRunner: boolean; previewUrl?: string }
  /** `names`: the layers added (several for a batch); `notes`: what else the user should know about the result, one sentence each. */
  | { phase: 'done'; names: string[]; engine: string; elapsedMs: number; notes: string[] }
  | { phase: 'failed'; message: string; hint?: string }
  /** `note`: what a cancelled batch kept (absent: the document is unchanged). */
  | { phase: 'cancelled'; note?: string };

export const isBusy = (run: RunState) => run.phase === 'preparing' || run.phase === 'painting' || run.phase === 'placing';
