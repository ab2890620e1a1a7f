import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { writeFileAtomically } from '../images/writeFileAtomically.ts';
import { poolKeys } from './poolKeys.ts';
import type { BlobRef } from './poolMessages.ts';

/**
 * Where the pool keeps a job's images and its result, readable by the server and every worker: in Redis up to
 * `inlineMaxBytes`, above it in `dir`, a directory every machine mounts at its own path (NFS, SMB, …), given as
 * --store. Without --store everything goes to Redis (fine for a few jobs; a queue of 100 MB uploads is better
 * on disk). A file's name starts with its expiry time, so any process can sweep expired ones without asking Redis.
 */
export interface BlobStore {
  put(name: string, bytes: Uint8Array, ttlMs: number): Promise<BlobRef>;
  get(ref: BlobRef): Promise<Uint8Array>;
  delete(ref: BlobRef): Promise<void>;
  /** Deletes expired files of the directory (Redis expires its keys itself). */
  sweep(): Promise<void>;
}

export function createBlobStore({ redis, dir, inlineMaxBytes }: { redis: Redis; dir?: string; inlineMaxBytes: number }): BlobStore {
  return {
    async put(name, bytes, ttlMs) {
      if (!dir || bytes.byteLength <= inlineMaxBytes) {
        const key = poolKeys.blob(name);
        await redis.set(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'PX', Math.max(1, Math.round(ttlMs)));
        return { store: 'redis', key };
      }
      const file = `${Date.now() + Math.round(ttlMs)}-${name}`;
      await writeFileAtomically(path.join(dir, file), bytes);
      return { store: 'dir', file };
    },
    async get(ref) {
      if (ref.store === 'redis') {
        const bytes = await redis.getBuffer(ref.key);
        if (!bytes) throw new Error(`the stored bytes ${ref.key} are gone from Redis (expired, or Redis lost its data)`);
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      if (!dir) throw new Error(`the job's bytes are in the shared store directory (${ref.file}), but this process was started without --store`);
      return new Uint8Array(await readFile(path.join(dir, ref.file)));
    },
    async delete(ref) {
      if (ref.store === 'redis') await redis.del(ref.key);
      else if (dir) await unlink(path.join(dir, ref.file)).catch(() => {});
    },
    async sweep() {
      if (!dir) return;
      const now = Date.now();
      for (const file of await readdir(dir).catch(() => [] as string[])) {
        const expiresAt = Number(/^(\d+)-/.exec(file)?.[1]);
        if (expiresAt < now) await unlink(path.join(dir, file)).catch(() => {});
      }
    },
  };
}
