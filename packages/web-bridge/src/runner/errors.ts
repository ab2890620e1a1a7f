import type { LimitInfo } from '../wire/errorReplySchema.ts';
import type { JobErrorCode } from '../wire/jobSchemas.ts';

/** Base of every runner client error: `status` is the HTTP status where there was one. */
export class RunnerError extends Error {
  override name = 'RunnerError';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Nothing answers at the runner's address: it is not running (or a firewall is in the way). */
export class RunnerUnreachableError extends RunnerError {
  override name = 'RunnerUnreachableError';
}

/** 401: no token, or not the runner's; the user has to pair (paste the token `pastiche serve` prints). */
export class RunnerNotPairedError extends RunnerError {
  override name = 'RunnerNotPairedError';
}

/** 429: the runner's queue is full; `retryAfterMs` is its hint. */
export class RunnerBusyError extends RunnerError {
  override name = 'RunnerBusyError';
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message, 429);
  }
}

/** Any other 4xx: the request was refused; `field` names what was wrong (options.size, styles[1], origin, …). */
export class RunnerRequestError extends RunnerError {
  override name = 'RunnerRequestError';
  constructor(
    message: string,
    status: number,
    readonly field?: string,
    readonly limit?: LimitInfo,
  ) {
    super(message, status);
  }
}

/** 5xx: the runner failed, or is shutting down (503). */
export class RunnerServerError extends RunnerError {
  override name = 'RunnerServerError';
}

/** A job the runner accepted ended badly: it failed (`code` says how), or the runner cancelled it. */
export class RunnerJobError extends RunnerError {
  override name = 'RunnerJobError';
  constructor(
    message: string,
    readonly code: JobErrorCode | 'cancelled',
    readonly field?: string,
  ) {
    super(message);
  }
}
