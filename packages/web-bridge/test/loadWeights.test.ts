// The worker's weights loader in Node, against a local server and an in-memory stand-in for the Cache API:
// sha256 per file, and nothing kept when a load fails half-way.
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeConvWeights, readModelFiles } from '@pastiche/core';
import { layersModelFolderSource, writeWeightsPackage } from '@pastiche/node-runner';
import { loadWeights } from '../src/worker/loadWeights.ts';

const vgg16 = path.resolve(import.meta.dirname, '../../../../shared/models/vgg16/model.json');

/** The Cache API as far as openWeightsCache uses it, in memory. */
class MemoryCache {
  readonly entries = new Map<string, Uint8Array>();
  async match(key: string) {
    const bytes = this.entries.get(key);
    return bytes ? new Response(bytes as Uint8Array<ArrayBuffer>) : undefined;
  }
  async put(key: string, response: Response) {
    this.entries.set(key, new Uint8Array(await response.arrayBuffer()));
  }
  async keys() {
    return [...this.entries.keys()].map((url) => ({ url }));
  }
  async delete(request: { url: string }) {
    return this.entries.delete(request.url);
  }
}

describe('loading weights in the worker: checked file by file, cached only whole', () => {
  let server: Server;
  let base: string;
  let packageDir: string;
  const cache = new MemoryCache();
  /** What the server does to a file: serve it, fail it (HTTP 500), or flip a byte. */
  const mode: { file?: string; fault?: 'fail' | 'corrupt' } = {};

  before(async () => {
    packageDir = await mkdtemp(path.join(tmpdir(), 'pastiche-weights-'));
    await writeWeightsPackage({ vgg16: decodeConvWeights(await readModelFiles((await layersModelFolderSource(vgg16)).source)) }, packageDir);
    server = createServer(async (req, res) => {
      const file = path.basename(req.url!);
      let bytes: Buffer;
      try {
        bytes = await readFile(path.join(packageDir, 'vgg16', file));
      } catch {
        return res.writeHead(404).end();
      }
      if (mode.file === file && mode.fault === 'fail') return res.writeHead(500).end('broken');
      if (mode.file === file && mode.fault === 'corrupt') bytes[bytes.length - 1] ^= 1;
      res.writeHead(200, { 'content-length': bytes.byteLength }).end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/vgg16/`;
    Object.assign(globalThis, { caches: { open: async () => cache } });
  });
  after(() => server.close());
  beforeEach(() => {
    cache.entries.clear();
    delete mode.file;
    delete mode.fault;
  });

  const candidate = () => [{ url: `${base}model.json`, headers: {}, model: 'vgg16' as const, label: 'the test host' }];

  it('loads every file, reports progress to the float16 total, and caches the shards', async () => {
    const progress: Array<{ loaded: number; total: number }> = [];
    const { info } = await loadWeights(candidate(), (p) => progress.push(p));
    assert.equal(info.bytes, 3_470_976, 'VGG16 blocks 1–3 in float16');
    assert.equal(progress.at(-1)!.loaded, progress.at(-1)!.total);
    assert.equal(progress.at(-1)!.total, info.bytes, 'the total is known from model.json, in float16 bytes');
    assert.equal(cache.entries.size, 7);
    const again = await loadWeights(candidate(), () => {});
    assert.equal(again.info.fromCache, true);
  });

  it('refuses a file whose sha256 differs from model.json’s, naming it, and keeps nothing', async () => {
    Object.assign(mode, { file: 'block3_conv1.bin', fault: 'corrupt' });
    await assert.rejects(loadWeights(candidate(), () => {}), (error: Error) => {
      assert.equal(error.name, 'WeightsLoadError');
      assert.match(error.message, /the test host: block3_conv1\.bin failed its sha256 check/);
      assert.equal((error as Error & { problem: { kind: string } }).problem.kind, 'corrupt');
      return true;
    });
    assert.equal(cache.entries.size, 0, 'the shards that came before were not kept');
  });

  it('keeps nothing when the host fails half-way', async () => {
    Object.assign(mode, { file: 'block2_conv2.bin', fault: 'fail' });
    await assert.rejects(loadWeights(candidate(), () => {}), /block2_conv2\.bin: HTTP 500/);
    assert.equal(cache.entries.size, 0);
  });

  it('tells the panels what failed: a 404 is a source with nothing there, the last source the one to explain', async () => {
    const missing = `${base}not-published.json`;
    const candidates = [{ url: `${base}gone.json`, headers: {}, model: 'vgg16' as const, label: 'first' }, { url: missing, headers: {}, model: 'vgg16' as const, label: 'last' }];
    await assert.rejects(loadWeights(candidates, () => {}), (error: Error & { problem?: unknown }) => {
      assert.equal(error.name, 'WeightsLoadError');
      assert.deepEqual(error.problem, { kind: 'not-found', url: missing });
      return true;
    });
  });

  it('names a host that cannot be reached', async () => {
    await assert.rejects(loadWeights([{ url: 'http://127.0.0.1:9/vgg16/model.json', headers: {}, model: 'vgg16', label: 'nowhere' }], () => {}), (error: Error & { problem?: unknown }) => {
      assert.match(error.message, /nowhere: http:\/\/127\.0\.0\.1:9\/vgg16\/model\.json: fetch failed/);
      assert.deepEqual(error.problem, { kind: 'unreachable', url: 'http://127.0.0.1:9/vgg16/model.json' });
      return true;
    });
  });
});
