import { HttpError, limitInfo } from '../errors/HttpError.ts';

/** 429 for a caller who has `userQueueCap` jobs waiting already (one person's batch must not fill everyone's line). */
export function assertUserRoom(name: string, waiting: number, userQueueCap: number): void {
  if (waiting >= userQueueCap) {
    throw new HttpError(
      429,
      `${name} has ${waiting} job(s) waiting, the most one user may (limit --user-queue-cap ${userQueueCap}); try again when one starts`,
      undefined,
      limitInfo('userQueueCap', userQueueCap),
    );
  }
}
