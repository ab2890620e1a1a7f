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

/**
 * Redis refuses a string longer than its proto-max-bulk-len, 512 MB unless configured ("ERR string exceeds maximum
 * allowed size"): a 2048 × 1536 checkpoint is about 790 MB. A bigger blob goes into parts of this size under
 * `key`, `key:1`, `key:2`, …; half the default limit, so that a Redis configured a little lower still takes them.
 */
export const REDIS_PART_BYTES = 256 * 2 ** 20;

export interface BlobStore {
  put(name: string, source: BlobSource, ttlMs: number): Promise<BlobRef>;
  get(ref: BlobRef): Promise<Uint8Array>;
  delete(ref: BlobRef): Promise<void>;
  /** Deletes expired files of the directory (Redis expires its keys itself). */
  sweep(): Promise<void>;
}

export function createBlobStore({ redis, dir, inlineMaxBytes, redisPartBytes = REDIS_PART_BYTES }: { redis: Redis; dir?: string; inlineMaxBytes: number; redisPartBytes?: number }): BlobStore {
  return {
    async put(name, source, ttlMs) {
      const ttl = Math.max(1, Math.round(ttlMs));
      if (!dir || (await byteLength(source)) <= inlineMaxBytes) {
        // Nobody reads the keys before the job that names them is queued, after this. Each part is created with
        // its expiry (SET … PX), then grown with APPEND, which keeps it.
        const key = poolKeys.blob(name);
        let parts = 0;
        let room = 0; // what the current part still takes
        const chunks = source instanceof Uint8Array ? [Buffer.from(source.buffer, source.byteOffset, source.byteLength)] : chunksOf(source.files);
        try {
          for await (const chunk of chunks) {
            for (let at = 0; at < chunk.byteLength; ) {
              const piece = chunk.subarray(at, at + (room || redisPartBytes));
              if (room === 0) await redis.set(partKey(key, parts++), piece, 'PX', ttl);
              else await redis.append(partKey(key, parts - 1), piece);
              room = (room || redisPartBytes) - piece.byteLength;
              at += piece.byteLength;
            }
          }
          if (parts === 0) await redis.set(key, Buffer.alloc(0), 'PX', ttl);
        } catch (error) {
          // A half-written blob is nobody's: its parts go now rather than when they expire.
          if (parts > 0) await redis.del(...redisKeys({ store: 'redis', key, parts })).catch(() => {});
          throw error;
        }
        return parts > 1 ? { store: 'redis', key, parts } : { store: 'redis', key };
      }
      const file = `${Date.now() + Math.round(ttlMs)}-${name}`;
      await writeFileAtomically(path.join(dir, file), source instanceof Uint8Array ? source : chunksOf(source.files));
      return { store: 'dir', file };
    },
    async get(ref) {
      if (ref.store === 'redis') {
        const parts = await Promise.all(redisKeys(ref).map((key) => redis.getBuffer(key)));
        if (parts.some((part) => !part)) throw new Error(`the stored bytes ${ref.key} are gone from Redis (expired, or Redis lost its data)`);
        const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts as Buffer[]);
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      if (!dir) throw new Error(`the job's bytes are in the shared store directory (${ref.file}), but this process was started without --store`);
      return new Uint8Array(await readFile(path.join(dir, ref.file)));
    },
    async delete(ref) {
      if (ref.store === 'redis') await redis.del(...redisKeys(ref));
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

const partKey = (key: string, part: number) => (part === 0 ? key : `${key}:${part}`);
const redisKeys = (ref: Extract<BlobRef, { store: 'redis' }>) => Array.from({ length: ref.parts ?? 1 }, (_, part) => partKey(ref.key, part));

async function byteLength(source: BlobSource): Promise<number> {
  if (source instanceof Uint8Array) return source.byteLength;
  const sizes = await Promise.all(source.files.map(async (file) => (await stat(file)).size));
  return sizes.reduce((a, b) => a + b, 0);
}

async function* chunksOf(files: string[]): AsyncIterable<Buffer> {
  for (const file of files) yield* createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>;
}
