import type { VggModelName } from '@pastiche/core';
import type { BackendInfo } from '../backend/selectBackend.ts';
import type { EnginePool } from '../engine/startEnginePool.ts';
import type { JobQueue } from './jobs/createJobQueue.ts';
import type { ServedModel } from './models/createServedModel.ts';
import type { RunnerConfig } from './runnerConfig.ts';

/** What the routes share: the engine processes, one queue, the settings. */
export interface RunnerContext {
  config: RunnerConfig;
  version: string;
  backend: BackendInfo;
  engines: EnginePool;
  models: VggModelName[];
  servedModels: Map<string, ServedModel>;
  queue: JobQueue;
  /** Closers of the open event streams, for shutdown. */
  eventStreams: Set<() => void>;
  log(line: string): void;
}
