import { randomUUID } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Redis } from 'ioredis';
import { writeFileAtomically } from '../images/writeFileAtomically.ts';
import type { BlobStore } from './createBlobStore.ts';
import { POOL_INPUT_TTL_MS, poolKeys } from './poolKeys.ts';
import { BlobRefSchema, type BlobRef } from './poolMessages.ts';

const isBlobRef = TypeCompiler.Compile(BlobRefSchema);

/**
 * A pool job's last checkpoint, where every worker finds it: the bytes in the blob store (Redis up to
 * --inline-max-mb, the shared --store directory above), and a Redis key naming them. A new checkpoint is stored
 * under a new name and the key moved to it before the old one is deleted, so the key always names a whole checkpoint.
 */
export function createPoolCheckpoints(redis: Redis, blobs: BlobStore) {
  const current = async (jobId: string): Promise<BlobRef | undefined> => {
    const raw = await redis.get(poolKeys.checkpoint(jobId));
    const ref: unknown = raw === null ? undefined : JSON.parse(raw);
    return isBlobRef.Check(ref) ? ref : undefined;
  };
  return {
    /** Copies the job's last checkpoint to `file`; false if it has none (or its bytes are gone). */
    async fetch(jobId: string, file: string): Promise<boolean> {
      const ref = await current(jobId);
      const bytes = ref && (await blobs.get(ref).catch(() => undefined));
      if (!bytes) return false;
      await writeFileAtomically(file, bytes);
      return true;
    },
    /** Stores the checkpoint the engine wrote to `file` as the job's last. */
    async store(jobId: string, file: string): Promise<void> {
      const previous = await current(jobId);
      // Streamed: a big run's checkpoint holds the optimiser's history, many images' worth. A rename over the file
      // meanwhile leaves this read whole (it reads the file it opened).
      const ref = await blobs.put(`${jobId}-checkpoint-${randomUUID()}`, { files: [file] }, POOL_INPUT_TTL_MS);
      await redis.set(poolKeys.checkpoint(jobId), JSON.stringify(ref), 'PX', POOL_INPUT_TTL_MS);
      if (previous) await blobs.delete(previous);
    },
    /** Deletes the job's checkpoint: it has ended for good. */
    async discard(jobId: string): Promise<void> {
      const ref = await current(jobId);
      await redis.del(poolKeys.checkpoint(jobId));
      if (ref) await blobs.delete(ref);
    },
  };
}

export type PoolCheckpoints = ReturnType<typeof createPoolCheckpoints>;
