import assert from 'node:assert/strict';
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type { WeightsSource } from '@pastiche/core';
import { resolveWeightsSource } from '../../src/weights/resolveWeightsSource.ts';
import { listFiles, makeTempDir, readSharedModel, sharedModelsDir, startFileServer, writeKerasH5FromLayersModel } from './fixtures.ts';

/** model.json and the packed weight bytes, whatever the source kind (what the core engine would read). */
async function readAll(source: WeightsSource): Promise<{ manifest: unknown; weightBytes: Buffer }> {
  if (source.kind === 'memory') return { manifest: source.modelJson.weightsManifest, weightBytes: Buffer.from(source.weightData) };
  assert.equal(source.kind, 'reader');
  if (source.kind !== 'reader') throw new Error('unreachable');
  const modelJson = JSON.parse(new TextDecoder().decode(await source.read('model.json')));
  const shards = await Promise.all((modelJson.weightsManifest as Array<{ paths: string[] }>).flatMap((g) => g.paths).map((p) => source.read(p)));
  return { manifest: modelJson.weightsManifest, weightBytes: Buffer.concat(shards) };
}

async function assertSameAsShared(source: WeightsSource, model: 'vgg16' | 'vgg19' = 'vgg16') {
  const original = await readSharedModel(model);
  const got = await readAll(source);
  assert.deepEqual(got.manifest, original.modelJson.weightsManifest);
  assert.ok(got.weightBytes.equals(original.weightBytes), 'weight bytes differ');
}

const noEnv = {} as NodeJS.ProcessEnv;

test('a folder containing model.json', async () => {
  for (const model of ['vgg16', 'vgg19'] as const) {
    const source = await resolveWeightsSource(model, path.join(sharedModelsDir, model), { env: noEnv });
    assert.equal(source.kind, 'reader');
    await assertSameAsShared(source, model);
  }
});

test('a parent folder containing <model>/model.json', async () => {
  for (const model of ['vgg16', 'vgg19'] as const) {
    const source = await resolveWeightsSource(model, sharedModelsDir, { env: noEnv });
    await assertSameAsShared(source, model);
  }
});

test('a path to a model.json, also under another name', async (t) => {
  await assertSameAsShared(await resolveWeightsSource('vgg16', path.join(sharedModelsDir, 'vgg16', 'model.json'), { env: noEnv }));
  const dir = await makeTempDir(t);
  await cp(path.join(sharedModelsDir, 'vgg16'), dir, { recursive: true });
  await cp(path.join(dir, 'model.json'), path.join(dir, 'vgg16-partial.json'));
  await assertSameAsShared(await resolveWeightsSource('vgg16', path.join(dir, 'vgg16-partial.json'), { env: noEnv }));
});

test('a path to a Keras .h5 file', async (t) => {
  const dir = await makeTempDir(t);
  const file = path.join(dir, 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5');
  await writeKerasH5FromLayersModel('vgg16', file);
  const source = await resolveWeightsSource('vgg16', file, { env: noEnv });
  assert.equal(source.kind, 'memory');
  await assertSameAsShared(source);
});

test('an http URL of a .h5 is downloaded once into the cache', async (t) => {
  const served = await makeTempDir(t, 'pastiche-served-');
  const cacheDir = await makeTempDir(t, 'pastiche-cache-');
  await writeKerasH5FromLayersModel('vgg16', path.join(served, 'vgg16_notop.h5'));
  const server = await startFileServer(served);
  t.after(() => server.close());
  const url = `${server.url}vgg16_notop.h5`;
  let lastProgress: [number, number | undefined] | undefined;

  const first = await resolveWeightsSource('vgg16', url, { env: noEnv, cacheDir, onProgress: (r, total) => (lastProgress = [r, total]) });
  await assertSameAsShared(first);
  assert.ok(lastProgress && lastProgress[0] > 0 && lastProgress[0] === lastProgress[1]);
  assert.equal(server.requests.length, 1);

  await assertSameAsShared(await resolveWeightsSource('vgg16', url, { env: noEnv, cacheDir }));
  assert.equal(server.requests.length, 1, 'second resolve hit the server');
});

test('an http URL of a model.json is downloaded with its shards, then works offline', async (t) => {
  const served = await makeTempDir(t, 'pastiche-served-');
  const cacheDir = await makeTempDir(t, 'pastiche-cache-');
  await cp(path.join(sharedModelsDir, 'vgg16'), path.join(served, 'tfjs', 'vgg16'), { recursive: true });
  const server = await startFileServer(served);
  const url = `${server.url}tfjs/vgg16/model.json`;
  const seen = new Set<string>();

  const first = await resolveWeightsSource('vgg16', url, { env: noEnv, cacheDir, onProgress: (_r, _t, u) => seen.add(u) });
  assert.equal(first.kind, 'reader');
  await assertSameAsShared(first);
  assert.equal(server.requests.length, 8); // model.json + 7 shards
  assert.ok(seen.has(url) && seen.has(`${server.url}tfjs/vgg16/block3_conv3.bin`));

  await server.close(); // offline from here on
  const second = await resolveWeightsSource('vgg16', url, { env: noEnv, cacheDir });
  await assertSameAsShared(second);
  assert.equal(server.requests.length, 8);
  assert.equal((await listFiles(cacheDir)).filter((f) => f.endsWith('.bin')).length, 7);
});

test('PASTICHE_WEIGHTS is used when --weights is not given, and --weights wins over it', async () => {
  const env = { PASTICHE_WEIGHTS: path.join(sharedModelsDir, 'vgg16') };
  await assertSameAsShared(await resolveWeightsSource('vgg16', undefined, { env }));
  await assertSameAsShared(await resolveWeightsSource('vgg19', path.join(sharedModelsDir, 'vgg19'), { env }), 'vgg19');
});

test('without --weights or PASTICHE_WEIGHTS the Keras notop .h5 is fetched into the cache', async (t) => {
  const cacheDir = await makeTempDir(t);
  const fetched: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request) => {
    fetched.push(String(input instanceof Request ? input.url : input));
    return new Response('unavailable', { status: 503 });
  }) as typeof fetch;
  t.after(() => void (globalThis.fetch = realFetch));
  const expected = 'https://storage.googleapis.com/tensorflow/keras-applications/vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5';
  await assert.rejects(resolveWeightsSource('vgg19', undefined, { env: { PASTICHE_WEIGHTS: '' }, cacheDir }), (err: Error) => {
    assert.ok(err.message.includes(expected), err.message);
    assert.match(err.message, /HTTP 503/);
    return true;
  });
  assert.deepEqual(fetched, [expected]);
  assert.deepEqual(await listFiles(cacheDir), []);
});

test('a path that does not exist is a clear error naming it and what was expected', async (t) => {
  const missing = path.join(await makeTempDir(t), 'no-such-weights');
  await assert.rejects(resolveWeightsSource('vgg16', missing, { env: noEnv }), (err: Error) => {
    assert.ok(err.message.includes(missing), err.message);
    assert.match(err.message, /--weights/);
    assert.match(err.message, /does not exist/);
    assert.match(err.message, /expected a folder containing model\.json/);
    return true;
  });
  await assert.rejects(resolveWeightsSource('vgg16', undefined, { env: { PASTICHE_WEIGHTS: missing } }), /no-such-weights.*PASTICHE_WEIGHTS.*does not exist/);
});

test('other wrong inputs say what is wrong', async (t) => {
  const dir = await makeTempDir(t);
  await assert.rejects(resolveWeightsSource('vgg16', dir, { env: noEnv }), /has neither model\.json nor vgg16\/model\.json/);
  const text = path.join(dir, 'weights.txt');
  await writeFile(text, 'hello');
  await assert.rejects(resolveWeightsSource('vgg16', text, { env: noEnv }), /weights\.txt.*neither HDF5.*nor JSON/);
  await assert.rejects(resolveWeightsSource('vgg16', 'ftp://example.com/w.h5', { env: noEnv }), /Unsupported weights URL ftp:\/\/example\.com\/w\.h5/);
  await assert.rejects(resolveWeightsSource('vgg16', 'https://example.com/weights', { env: noEnv }), /https:\/\/example\.com\/weights.*\.h5.*\.json/);
  // VGG19 weights (they have block3_conv4) for VGG16
  await assert.rejects(resolveWeightsSource('vgg16', path.join(sharedModelsDir, 'vgg19'), { env: noEnv }), /block3_conv4.*vgg16 does not have.*vgg19 weights/);
  // A model.json whose shard is missing
  await cp(path.join(sharedModelsDir, 'vgg16', 'model.json'), path.join(dir, 'model.json'));
  await assert.rejects(resolveWeightsSource('vgg16', dir, { env: noEnv }), /model\.json lists weight file\(s\) missing.*block1_conv1\.bin/);
});
