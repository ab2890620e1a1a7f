import type { Pastiche, VggModelName } from '@pastiche/core';
import type { BackendChoice } from '../backend/selectBackend.ts';
import type { RequestTracker } from './http/createRequestTracker.ts';
import type { JobQueue } from './jobs/createJobQueue.ts';
import type { ServedModel } from './models/createServedModel.ts';
import type { RunnerConfig } from './runnerConfig.ts';

/** What the routes share: one engine (weights loaded once), one queue, the settings. */
export interface RunnerContext {
  config: RunnerConfig;
  version: string;
  backend: BackendChoice;
  engine: Pastiche;
  models: VggModelName[];
  servedModels: Map<string, ServedModel>;
  queue: JobQueue;
  /** Requests being handled: running jobs give way to them between evaluations. */
  requests: RequestTracker;
  /** Closers of the open event streams, for shutdown. */
  eventStreams: Set<() => void>;
  log(line: string): void;
}
