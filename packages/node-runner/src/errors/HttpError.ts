import type { LimitInfo } from '@pastiche/web-bridge/wire';

/** An error with its HTTP status, the request field it is about, the limit it hit and when to try again, if any. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
    readonly limit?: LimitInfo,
    /** Sent as Retry-After (a 429 without it gets 5). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** `maxStyles` → `{ name: 'maxStyles', flag: '--max-styles', value }`. */
export function limitInfo(name: string, value: number): LimitInfo {
  return { name, flag: `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value };
}

/** 422 for a request beyond this runner's limits (413 is kept for the body size). */
export function limitExceeded(field: string, name: string, value: number, problem: string, statusCode = 422): HttpError {
  const limit = limitInfo(name, value);
  return new HttpError(statusCode, `${field}: ${problem} (limit ${limit.flag} ${value})`, field, limit);
}
