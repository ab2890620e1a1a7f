import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBlobStore } from '../../src/pool/createBlobStore.ts';
import { poolKeys } from '../../src/pool/poolKeys.ts';
import { connectRedis, parseQueueUrl } from '../../src/pool/redisConnection.ts';
import { startRedisServer, type RedisServer } from './helpers/redisServer.ts';

// Redis's largest string cut from 512 MB to 1 MB, so that a blob over it is a few MB.
const LIMIT = 2 ** 20;
let redis: RedisServer;
let connection: ReturnType<typeof connectRedis>;
const folders: string[] = [];
const tempDir = async (prefix: string) => {
  folders.push(await mkdtemp(path.join(tmpdir(), prefix)));
  return folders[folders.length - 1];
};
before(async () => {
  redis = await startRedisServer(['--proto-max-bulk-len', String(LIMIT)]);
  connection = connectRedis(parseQueueUrl(redis.url), { failFast: false, name: 'blob-store-test' });
});
after(async () => {
  connection?.disconnect();
  await redis?.stop();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Two files of `sizes` bytes, each filled with a different byte; and what they make one after the other. */
async function files(...sizes: number[]) {
  const folder = await tempDir('pastiche-blob-');
  const parts = sizes.map((size, i) => new Uint8Array(size).fill(i + 1));
  const paths = await Promise.all(parts.map(async (bytes, i) => {
    const file = path.join(folder, `part-${i}`);
    await writeFile(file, bytes);
    return file;
  }));
  return { paths, whole: new Uint8Array(Buffer.concat(parts)) };
}

describe('the pool blob store takes uploads from files, a chunk at a time', () => {
  test('into Redis (several chunks appended) and back whole', async () => {
    const store = createBlobStore({ redis: connection, inlineMaxBytes: 1024 });
    const { paths, whole } = await files(Math.floor(LIMIT / 2) + 3, 17);
    const ref = await store.put('job-images', { files: paths }, 60_000);
    assert.deepEqual(ref, { store: 'redis', key: poolKeys.blob('job-images') });
    assert.deepEqual(await store.get(ref), whole);
    assert.ok((await connection.pttl(poolKeys.blob('job-images'))) > 0, 'it expires');
  });

  test("a blob over Redis's largest string (a 2048 px checkpoint is 790 MB against 512 MB) goes into parts, each expiring, deleted together", async () => {
    await assert.rejects(connection.set('too-long', Buffer.alloc(LIMIT + 1)), /exceeds maximum allowed size|too big|bulk/i, "this Redis refuses a string over its limit");
    const store = createBlobStore({ redis: connection, inlineMaxBytes: 1024, redisPartBytes: LIMIT });
    // Chunks of 4 MB from the files cross the parts' borders; a whole buffer too.
    const { paths, whole } = await files(5 * LIMIT + 3, 17);
    const ref = await store.put('checkpoint-from-files', { files: paths }, 60_000);
    const bytes = new Uint8Array(2 * LIMIT).map((_, i) => i % 251);
    const refs = [ref, await store.put('result-from-bytes', bytes, 60_000)];
    assert.deepEqual(refs.map((r) => r.store === 'redis' && r.parts), [6, 2]);
    assert.deepEqual(await store.get(refs[0]), whole);
    assert.deepEqual(await store.get(refs[1]), bytes);
    const keys = [...(await connection.keys(`${poolKeys.blob('checkpoint-from-files')}*`))].sort();
    assert.equal(keys.length, 6);
    for (const key of keys) assert.ok((await connection.pttl(key)) > 0, `${key} expires`);
    await Promise.all(refs.map((r) => store.delete(r)));
    assert.deepEqual(await connection.keys(`${poolKeys.blob('')}*-from-*`), []);

    // A put that fails half-way (its second file unreadable) leaves no part behind.
    await assert.rejects(store.put('half-written', { files: [paths[0], `${paths[0]}-missing`] }, 60_000), /ENOENT/);
    assert.deepEqual(await connection.keys(`${poolKeys.blob('half-written')}*`), []);
  });

  test('into the --store directory above --inline-max-mb, below it into Redis', async () => {
    const dir = await tempDir('pastiche-store-');
    const store = createBlobStore({ redis: connection, dir, inlineMaxBytes: 1000 });
    const big = await files(800, 300);
    const ref = await store.put('big-images', { files: big.paths }, 60_000);
    assert.equal(ref.store, 'dir');
    assert.deepEqual(await store.get(ref), big.whole);
    assert.equal((await readdir(dir)).length, 1, 'no partial file left beside it');
    const small = await files(10, 20);
    const inline = await store.put('small-images', { files: small.paths }, 60_000);
    assert.equal(inline.store, 'redis');
    assert.deepEqual(await store.get(inline), small.whole);
  });
});
