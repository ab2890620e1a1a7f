/**
 * Every Redis name the pool uses besides BullMQ's own (which live under `bull:pastiche-jobs:`), in one place:
 * the server and the workers must agree on them.
 */
export const QUEUE_NAME = 'pastiche-jobs';
const PREFIX = 'pastiche';
/** A job's images, cancel mark and checkpoint wait at most this long for a worker (deleted as soon as the job ends). */
export const POOL_INPUT_TTL_MS = 7 * 24 * 3600_000;

export const poolKeys = {
  /** A stored image or result (small ones; big ones go to the shared directory). */
  blob: (name: string) => `${PREFIX}:blob:${name}`,
  /** Set when a job's cancel is asked; a worker that picks the job up later sees it too. */
  cancel: (jobId: string) => `${PREFIX}:cancel:${jobId}`,
  /** A job cancelled while it waited (BullMQ forgets removed jobs; its status must stay until it expires). */
  cancelledWhileQueued: (jobId: string) => `${PREFIX}:cancelled:${jobId}`,
  /** Where a job's last checkpoint is (a BlobRef, JSON): a retried attempt continues it on whichever worker takes it. */
  checkpoint: (jobId: string) => `${PREFIX}:checkpoint:${jobId}`,
  /** The last preview of a running job, for a stream opened late. */
  lastPreview: (jobId: string) => `${PREFIX}:preview:${jobId}`,
  /** A worker's announcement, refreshed while it lives. */
  worker: (name: string) => `${PREFIX}:worker:${name}`,
  workerPattern: `${PREFIX}:worker:*`,
  /** Pub/sub: cancels (job ids) to the workers; previews to the servers (too big for BullMQ's event stream). */
  cancelChannel: `${PREFIX}:cancels`,
  previewChannel: `${PREFIX}:previews`,
};
