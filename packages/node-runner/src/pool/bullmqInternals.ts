import { createRequire } from 'node:module';
import type { Queue } from 'bullmq';

/**
 * The one place the pool relies on how BullMQ behaves beyond its documented API, checked against the
 * version it was written for (a different major version refuses to start, naming both):
 *
 * - Requeues: both a stalled job (its worker's lock expired: killed, frozen, cut off) and an attempt that threw
 *   and will be retried go back with a `waiting` event whose `prev` is `active` (moveJobToWait.lua, retryJob.lua);
 *   for a stall, BullMQ adds a `stalled` event right after it, in the same script, so both arrive in one read of
 *   the event stream.
 * - Line order: workers take the `wait` list (oldest first; stalled jobs are pushed to its front) before the
 *   `prioritized` set (lowest priority number first, FIFO within one); getRanges(…, asc) lists them so.
 */
export const BULLMQ_MAJOR = 6;

export function checkBullmqVersion(): string {
  const { version } = createRequire(import.meta.url)('bullmq/package.json') as { version: string };
  if (Number(version.split('.')[0]) !== BULLMQ_MAJOR) {
    throw new Error(`the pool was written for BullMQ ${BULLMQ_MAJOR}.x; ${version} is installed (see packages/node-runner/src/pool/bullmqInternals.ts)`);
  }
  return version;
}

/** A `waiting` event that puts a running job back in line (see above). */
export const isRequeue = (event: { prev?: string }) => event.prev === 'active';

/** The ids of the queued jobs in the order workers will take them. */
export const jobsInLine = (queue: Queue) => queue.getRanges(['wait', 'prioritized'], 0, -1, true);
