import type { BackendListing, EngineHealth, PoolHealth } from '@pastiche/web-bridge/wire';
import type { EngineModel } from '../engine/engineMessages.ts';

/** What paints this runner's jobs: its own engine processes, or (`--queue`) the pool's workers. */
export interface Painters {
  backend: string;
  device: string;
  gpu: boolean;
  backends: BackendListing[];
  /** Models and the layers their weights have; undefined while no pool worker has announced any. */
  models?: EngineModel[];
  engine: { restarts: number; processes: EngineHealth[] };
  pool?: PoolHealth;
}
