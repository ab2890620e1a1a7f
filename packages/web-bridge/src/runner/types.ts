import type { LossValues, StylizeProgress, VggModelName } from '@pastiche/core';
import type { BridgeJob } from '../types.ts';

/** `GET /v1/health` (packages/node-runner/src/serve/http/wireSchemas.ts, HealthSchema). */
export interface Health {
  name: 'pastiche';
  version: string;
  backend: string;
  gpu: boolean;
  models: string[];
  limits: {
    maxSide: number;
    maxPixels: number;
    maxBodyMb: number;
    maxStyles: number;
    maxEvaluations: number;
    maxJobSeconds: number;
    queueCap: number;
    concurrency: number;
    keepResultsMinutes: number;
  };
  queue: { queued: number; running: number; kept: number };
  memory: { numTensors: number; numBytes: number };
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobLinks {
  self: string;
  events: string;
  result: string;
}

/** `POST /v1/jobs` → 202. */
export interface JobAccepted {
  id: string;
  status: JobState;
  queuePosition: number | null;
  seed: number;
  links: JobLinks;
}

/** A progress event as the runner sends it: the engine's, its preview sent apart. */
export type JobProgress = Omit<StylizeProgress, 'preview'>;

export interface JobError {
  message: string;
  code: 'input' | 'out_of_memory' | 'time_limit' | 'internal';
  field?: string;
}

export interface JobStats {
  evaluations: number;
  elapsedMs: number;
  loss: LossValues;
  seed: number;
  backend: string;
  scales: Array<{ width: number; height: number; evaluations: number; elapsedMs: number; stopReason: string }>;
}

/** `GET /v1/jobs/:id` and `DELETE /v1/jobs/:id`. */
export interface JobStatus extends JobAccepted {
  progress: JobProgress | null;
  error: JobError | null;
  cancelReason: string | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: { width: number; height: number; bytes: number } | null;
}

/** One event of `GET /v1/jobs/:id/events` (packages/node-runner/src/serve/jobs/job.ts, JobEvent). */
export type RunnerEvent =
  | { type: 'queued'; data: { position: number } }
  | { type: 'started'; data: { startedAt: string } }
  | { type: 'progress'; data: JobProgress }
  | { type: 'preview'; data: { totalEvaluation: number; width: number; height: number; image: string } }
  | { type: 'done'; data: { result: { width: number; height: number; bytes: number }; stats: JobStats } }
  | { type: 'failed'; data: { error: JobError } }
  | { type: 'cancelled'; data: { reason: string } };

export interface RequestInitLite {
  signal?: AbortSignal;
}

/**
 * A typed client of `pastiche serve`. Every method throws RunnerUnreachableError (nothing answers),
 * RunnerNotPairedError (401), RunnerBusyError (429), RunnerRequestError (another 4xx, with the field)
 * or RunnerServerError (5xx).
 */
export interface RunnerClient {
  readonly baseUrl: string;
  /** The pairing token this client sends; remembering it between sessions is the host's job. */
  readonly token: string | undefined;
  /** The last health this client received. */
  readonly lastHealth: Health | undefined;
  /** No token needed; times out after a few seconds so that a hung runner reads as not running. */
  health(init?: RequestInitLite): Promise<Health>;
  /** Whether the runner accepts this token (default: the client's own). */
  checkToken(token?: string, init?: RequestInitLite): Promise<boolean>;
  /** Checks the token the user pasted and, if the runner accepts it, sends it from now on; else RunnerNotPairedError. */
  pair(token: string, init?: RequestInitLite): Promise<void>;
  /** Stops sending a token. */
  unpair(): void;
  submit(job: BridgeJob, init?: RequestInitLite): Promise<JobAccepted>;
  /** The job's events as they come (Server-Sent Events read through fetch, so that the token goes in a header); ends when the job does. */
  events(jobId: string, init?: RequestInitLite): AsyncGenerator<RunnerEvent>;
  status(jobId: string, init?: RequestInitLite): Promise<JobStatus>;
  /** The result PNG of a succeeded job. */
  result(jobId: string, init?: RequestInitLite): Promise<Uint8Array>;
  /** Cancels a queued or running job (a running one stops at its next evaluation; this waits for it). */
  cancel(jobId: string, init?: RequestInitLite): Promise<JobStatus>;
  /** Where the runner serves a model's weights, and the headers that fetch needs. */
  modelJsonUrl(model: VggModelName): string;
  authHeaders(): Record<string, string>;
}

export type RunnerStatus =
  | { state: 'unknown' }
  | { state: 'not-running'; reason?: string }
  | { state: 'not-paired'; health: Health }
  | { state: 'ready'; health: Health }
  | { state: 'busy'; health: Health };
