import type { BackendListing, EngineHealth, PoolHealth } from '@pastiche/web-bridge/wire';
import type { EvaluationCalibration } from '@pastiche/core';
import type { EngineModel } from '../engine/engineMessages.ts';

/** What paints this runner's jobs: its own engine processes, or (`--queue`) the pool's workers. */
export interface Painters {
  backend: string;
  device: string;
  gpu: boolean;
  backends: BackendListing[];
  /** Models and the layers their weights have; undefined while no pool worker has announced any. */
  models?: EngineModel[];
  /** The first engine's measured speed (its calibration at start); undefined for a pool, whose workers do not report one. */
  calibration?: EvaluationCalibration;
  engine: { restarts: number; processes: EngineHealth[] };
  pool?: PoolHealth;
}
