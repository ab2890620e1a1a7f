import type { VggModelName } from '@pastiche/core';
import type { Painters } from '../queue/Painters.ts';
import type { JobQueue } from '../queue/JobQueue.ts';
import type { ServedModel } from './models/createServedModel.ts';
import type { UploadSpool } from './uploads/createUploadSpool.ts';
import type { RunnerConfig } from './runnerConfig.ts';

/** What the routes share: one queue, what paints, the settings. */
export interface RunnerContext {
  config: RunnerConfig;
  version: string;
  painters(): Promise<Painters>;
  /** The models whose weights the runner serves to browsers. */
  models: VggModelName[];
  servedModels: Map<string, ServedModel>;
  queue: JobQueue;
  /** Where job bodies are received and kept until their jobs no longer need them; the budget of uploads in flight. */
  uploads: UploadSpool;
  /** Closers of the open event streams, for shutdown. */
  eventStreams: Set<() => void>;
  log(line: string): void;
}
