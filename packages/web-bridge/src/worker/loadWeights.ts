import { sha256Hex, type Integrity, type LayersModelJson, type ReaderWeightsSource } from '@pastiche/core';
import type { WeightsCandidate, WeightsInfo } from '../inPage/protocol.ts';
import { fetchBytes } from './fetchBytes.ts';
import { openWeightsCache, type WeightsCache } from './openWeightsCache.ts';
import { WeightsFetchError, type WeightsProblem } from '../weights/weightsProblem.ts';

export type WeightsProgress = (progress: { loaded: number; total: number }) => void;

/** The weights from the first candidate that serves them whole; the error names what each one said. */
export async function loadWeights(candidates: WeightsCandidate[], onProgress: WeightsProgress): Promise<{ source: ReaderWeightsSource; info: WeightsInfo }> {
  if (candidates.length === 0) throw new Error('weights: no location given');
  const cache = await openWeightsCache();
  const failures: string[] = [];
  let problem: WeightsProblem | undefined;
  for (const candidate of candidates) {
    try {
      return await loadFrom(candidate, cache, onProgress);
    } catch (error) {
      failures.push(`${candidate.label}: ${(error as Error).message}`);
      // The last source's problem is the one to explain: the earlier ones fell back to it.
      problem = error instanceof WeightsFetchError ? error.problem : { kind: 'corrupt', url: candidate.url, detail: (error as Error).message };
    }
  }
  // Named so that the panels tell a weights host that is down from an engine that failed.
  throw Object.assign(new Error(`could not load the ${candidates[0].model} weights (${failures.join('; ')})`), { name: 'WeightsLoadError', problem });
}

async function loadFrom(candidate: WeightsCandidate, cache: WeightsCache | undefined, onProgress: WeightsProgress) {
  const { url, headers } = candidate;
  // Always asked again (it is small): its digest tells whether the cached shards are still the served ones.
  const modelJson = await fetchBytes(url, { headers, cache: 'no-cache' });
  const { paths, total, integrity } = readManifest(modelJson);
  const version = cache ? await digest(modelJson) : undefined;
  const files = new Map<string, Uint8Array>([['model.json', modelJson]]);
  const fetched: Array<[string, Uint8Array]> = [];
  let loaded = 0;
  let fromCache = false;
  for (const path of paths) {
    const shardUrl = new URL(path, url).href;
    let bytes = version ? await cache!.get(shardUrl, version) : undefined;
    if (bytes) {
      fromCache = true;
    } else {
      bytes = await fetchBytes(shardUrl, { headers }, (received) => onProgress({ loaded: loaded + received, total: Math.max(total, loaded + received) }));
      await checkDigest(path, bytes, integrity);
      fetched.push([shardUrl, bytes]);
    }
    loaded += bytes.byteLength;
    onProgress({ loaded, total: Math.max(total, loaded) });
    files.set(path, bytes);
  }
  // Kept only once every file has come and passed its check: a failure half-way leaves nothing behind.
  if (version) {
    for (const [shardUrl, bytes] of fetched) await cache!.put(shardUrl, version, bytes);
    await cache!.prune(new URL('.', url).href, version);
  }
  const info: WeightsInfo = { source: candidate.label, model: candidate.model, bytes: loaded, cache: cache ? 'cache-api' : 'memory-only', fromCache };
  return { source: readEachOnce(files), info };
}

/** The shard paths, their total size as stored (float32, or float16 where quantized) and their sha256 if listed. */
function readManifest(bytes: Uint8Array): { paths: string[]; total: number; integrity?: Integrity } {
  let json: LayersModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes)) as LayersModelJson;
  } catch {
    throw new Error('model.json is not JSON');
  }
  if (!Array.isArray(json?.weightsManifest)) throw new Error('model.json has no weightsManifest: is it a TensorFlow.js layers model?');
  const paths = json.weightsManifest.flatMap((group) => group.paths);
  const total = json.weightsManifest
    .flatMap((group) => group.weights)
    .reduce((n, w) => n + (w.quantization?.dtype === 'float16' ? 2 : 4) * w.shape.reduce((a, b) => a * b, 1), 0);
  return { paths, total, integrity: json.integrity };
}

async function checkDigest(path: string, bytes: Uint8Array, integrity: Integrity | undefined) {
  const expected = integrity?.[path];
  if (!expected) return;
  const actual = await sha256Hex(bytes);
  if (actual !== expected) throw new Error(`${path} failed its sha256 check (got ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…)`);
}

async function digest(bytes: Uint8Array): Promise<string> {
  return (await sha256Hex(bytes)).slice(0, 16);
}

/** The core reads each file once while it builds the network; letting the bytes go then halves the memory held. */
function readEachOnce(files: Map<string, Uint8Array>): ReaderWeightsSource {
  return {
    kind: 'reader',
    async read(path) {
      const bytes = files.get(path);
      if (!bytes) throw new Error(`weights file ${path} was not loaded`);
      files.delete(path);
      return bytes;
    },
  };
}
