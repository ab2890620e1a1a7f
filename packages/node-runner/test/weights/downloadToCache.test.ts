import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { defaultCacheDir } from '../../src/weights/defaultCacheDir.ts';
import { downloadToCache } from '../../src/weights/downloadToCache.ts';
import { listFiles, makeTempDir, startFileServer } from './fixtures.ts';

const hex = (algorithm: string, bytes: Uint8Array) => createHash(algorithm).update(bytes).digest('hex');

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const served = await makeTempDir(t, 'pastiche-served-');
  const cacheDir = await makeTempDir(t, 'pastiche-cache-');
  const body = randomBytes(700_000);
  await writeFile(path.join(served, 'weights.h5'), body);
  const server = await startFileServer(served);
  t.after(() => server.close());
  return { served, cacheDir, body, server, url: `${server.url}weights.h5` };
}

test('downloads with progress, then reuses the cached file without asking the server', async (t) => {
  const { cacheDir, body, server, url } = await setup(t);
  const events: Array<[number, number | undefined, string]> = [];

  const file = await downloadToCache(url, { cacheDir, onProgress: (r, total, u) => events.push([r, total, u]) });

  assert.ok(file.startsWith(cacheDir + path.sep), file);
  assert.equal(path.basename(file), 'weights.h5');
  assert.ok((await readFile(file)).equals(body));
  assert.ok(events.length >= 2, `expected several progress events, got ${events.length}`);
  assert.deepEqual(events.at(-1), [body.length, body.length, url]);
  for (let i = 1; i < events.length; i++) assert.ok(events[i][0] >= events[i - 1][0], 'progress went backwards');
  assert.equal(server.requests.length, 1);

  // Cached: no request, with or without a checksum (the latter answered from the sidecar).
  assert.equal(await downloadToCache(url, { cacheDir }), file);
  assert.equal(await downloadToCache(url, { cacheDir, checksum: { md5: hex('md5', body), sha256: hex('sha256', body).toUpperCase() } }), file);
  assert.equal(server.requests.length, 1);
  assert.deepEqual(await listFiles(cacheDir), [path.relative(cacheDir, file), path.relative(cacheDir, file) + '.hashes.json'].sort());
});

test('a cached file that no longer matches the checksum is fetched again', async (t) => {
  const { cacheDir, body, server, url } = await setup(t);
  const file = await downloadToCache(url, { cacheDir });
  await writeFile(file, 'corrupted'); // size/mtime change: the sidecar is ignored, the file re-hashed
  assert.equal(await downloadToCache(url, { cacheDir, checksum: { sha256: hex('sha256', body) } }), file);
  assert.equal(server.requests.length, 2);
  assert.ok((await readFile(file)).equals(body));
});

for (const kind of ['md5', 'sha256'] as const) {
  test(`${kind} mismatch names the URL, the file and both hashes, and leaves nothing in the cache`, async (t) => {
    const { cacheDir, body, url } = await setup(t);
    const wrong = kind === 'md5' ? '0'.repeat(32) : 'f'.repeat(64);
    await assert.rejects(downloadToCache(url, { cacheDir, checksum: { [kind]: wrong } }), (err: Error) => {
      assert.ok(err.message.includes(url), err.message);
      assert.match(err.message, /weights\.h5/);
      assert.ok(err.message.includes(`expected ${kind} ${wrong}, got ${hex(kind, body)}`), err.message);
      return true;
    });
    assert.deepEqual(await readdir(cacheDir, { recursive: true }), []); // not even an empty folder
  });
}

test('HTTP 404 names the URL and status, and leaves nothing in the cache', async (t) => {
  const { cacheDir, server } = await setup(t);
  const url = `${server.url}missing/vgg16.h5`;
  await assert.rejects(downloadToCache(url, { cacheDir }), (err: Error) => {
    assert.ok(err.message.includes(url), err.message);
    assert.match(err.message, /HTTP 404/);
    return true;
  });
  assert.deepEqual(await readdir(cacheDir, { recursive: true }), []); // not even an empty folder
});

test('a refused connection names the URL', async (t) => {
  const cacheDir = await makeTempDir(t);
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const url = `http://127.0.0.1:${port}/vgg16.h5`;
  await assert.rejects(downloadToCache(url, { cacheDir }), (err: Error) => {
    assert.ok(err.message.includes(url), err.message);
    assert.match(err.message, /ECONNREFUSED/);
    return true;
  });
  assert.deepEqual(await readdir(cacheDir, { recursive: true }), []); // not even an empty folder
});

test('a body cut short names the URL and leaves nothing in the cache', async (t) => {
  const { cacheDir, server } = await setup(t);
  const url = `${server.url}truncated.bin`;
  await assert.rejects(downloadToCache(url, { cacheDir }), (err: Error) => {
    assert.ok(err.message.includes(url), err.message);
    return true;
  });
  assert.deepEqual(await readdir(cacheDir, { recursive: true }), []); // not even an empty folder
});

test('the cache folder comes from PASTICHE_CACHE_DIR, XDG_CACHE_HOME or ~/.cache', async (t) => {
  assert.equal(defaultCacheDir({ PASTICHE_CACHE_DIR: '/a/b', XDG_CACHE_HOME: '/x' }), path.resolve('/a/b'));
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x' }), path.resolve('/x/pastiche'));
  assert.equal(defaultCacheDir({ HOME: '/home/u' }), path.join('/home/u', '.cache', 'pastiche'));
  assert.equal(defaultCacheDir({ PASTICHE_CACHE_DIR: '', XDG_CACHE_HOME: '' }), path.join(os.homedir(), '.cache', 'pastiche'));

  const { body, url } = await setup(t);
  const viaEnv = await makeTempDir(t, 'pastiche-env-cache-');
  const file = await downloadToCache(url, { env: { PASTICHE_CACHE_DIR: viaEnv } });
  assert.ok(file.startsWith(viaEnv + path.sep), file);
  assert.ok((await readFile(file)).equals(body));
});
