import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
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
/** What a blob is made of: bytes, or files of this machine read one after the other (a chunk at a time, never whole). */
export type BlobSource = Uint8Array | { files: string[] };

/** Chunks of files are written to Redis with APPEND, so that an upload of hundreds of MB never sits in memory. */
const CHUNK_BYTES = 4 * 2 ** 20;

export interface BlobStore {
  put(name: string, source: BlobSource, ttlMs: number): Promise<BlobRef>;
  get(ref: BlobRef): Promise<Uint8Array>;
  delete(ref: BlobRef): Promise<void>;
  /** Deletes expired files of the directory (Redis expires its keys itself). */
  sweep(): Promise<void>;
}

export function createBlobStore({ redis, dir, inlineMaxBytes }: { redis: Redis; dir?: string; inlineMaxBytes: number }): BlobStore {
  return {
    async put(name, source, ttlMs) {
      const ttl = Math.max(1, Math.round(ttlMs));
      if (!dir || (await byteLength(source)) <= inlineMaxBytes) {
        const key = poolKeys.blob(name);
        if (source instanceof Uint8Array) {
          await redis.set(key, Buffer.from(source.buffer, source.byteOffset, source.byteLength), 'PX', ttl);
        } else {
          // Nobody reads the key before the job that names it is queued, after this.
          await redis.del(key);
          for await (const chunk of chunksOf(source.files)) await redis.append(key, chunk);
          await redis.pexpire(key, ttl);
        }
        return { store: 'redis', key };
      }
      const file = `${Date.now() + Math.round(ttlMs)}-${name}`;
      await writeFileAtomically(path.join(dir, file), source instanceof Uint8Array ? source : chunksOf(source.files));
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

async function byteLength(source: BlobSource): Promise<number> {
  if (source instanceof Uint8Array) return source.byteLength;
  const sizes = await Promise.all(source.files.map(async (file) => (await stat(file)).size));
  return sizes.reduce((a, b) => a + b, 0);
}

async function* chunksOf(files: string[]): AsyncIterable<Buffer> {
  for (const file of files) yield* createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>;
}
