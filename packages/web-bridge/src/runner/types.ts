import type { VggModelName } from '@pastiche/core';
import type { BridgeJob } from '../types.ts';
import type { Health, JobAccepted, JobEvent, JobStatus } from '../wire/index.ts';

/** One event of `GET /v1/jobs/:id/events`. */
export type RunnerEvent = JobEvent;

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
