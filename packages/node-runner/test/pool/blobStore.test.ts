import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBlobStore } from '../../src/pool/createBlobStore.ts';
import { connectRedis, parseQueueUrl } from '../../src/pool/redisConnection.ts';
import { startRedisServer, type RedisServer } from './helpers/redisServer.ts';

let redis: RedisServer;
let connection: ReturnType<typeof connectRedis>;
before(async () => {
  redis = await startRedisServer();
  connection = connectRedis(parseQueueUrl(redis.url), { failFast: false, name: 'blob-store-test' });
});
after(async () => {
  connection?.disconnect();
  await redis?.stop();
});

/** Two files of `sizes` bytes, each filled with a different byte; and what they make one after the other. */
async function files(...sizes: number[]) {
  const folder = await mkdtemp(path.join(tmpdir(), 'pastiche-blob-'));
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
    const { paths, whole } = await files(5 * 2 ** 20 + 3, 17);
    const ref = await store.put('job-images', { files: paths }, 60_000);
    assert.equal(ref.store, 'redis');
    assert.deepEqual(await store.get(ref), whole);
    assert.ok((await connection.pttl((ref as { key: string }).key)) > 0, 'it expires');
  });

  test('into the --store directory above --inline-max-mb, below it into Redis', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pastiche-store-'));
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
