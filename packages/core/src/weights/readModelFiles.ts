import { sha256Hex } from './sha256Hex.ts';
import type { Integrity, LayersModelJson, LoadProgress, WeightsSource } from './types.ts';

export interface ModelFiles {
  modelJson: LayersModelJson;
  weightData: ArrayBuffer;
}

/** Reads model.json and every shard it names from a source, checking each file against its sha256 if given. */
export async function readModelFiles(
  source: WeightsSource,
  onProgress?: (progress: LoadProgress) => void,
): Promise<ModelFiles> {
  if (source.kind === 'memory') return { modelJson: source.modelJson, weightData: source.weightData };
  const read = source.kind === 'url' ? urlReader(source.url, source.fetch ?? globalThis.fetch) : source.read;
  const readChecked = async (file: string) => {
    const bytes = await read(file);
    await checkIntegrity(file, bytes, source.integrity);
    return bytes;
  };

  const modelJson = parseModelJson(await readChecked('model.json'));
  const shardPaths = modelJson.weightsManifest.flatMap((group) => group.paths);
  const total = shardPaths.length + 1;
  onProgress?.({ file: 'model.json', filesDone: 1, filesTotal: total });
  const shards: Uint8Array[] = [];
  for (const [i, path] of shardPaths.entries()) {
    shards.push(await readChecked(path));
    onProgress?.({ file: path, filesDone: i + 2, filesTotal: total });
  }
  return { modelJson, weightData: concatenate(shards) };
}

function urlReader(modelUrl: string, fetchImpl: typeof fetch) {
  return async (file: string): Promise<Uint8Array> => {
    const url = new URL(file, new URL(modelUrl, globalThis.location?.href)).href;
    const response = await fetchImpl(url);
    if (!response.ok) throw new Error(`could not load weights file ${url}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

async function checkIntegrity(file: string, bytes: Uint8Array, integrity: Integrity | undefined) {
  const expected = integrity?.[file];
  if (!expected) return;
  const actual = await sha256Hex(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new Error(`weights file ${file} failed its integrity check: sha256 ${actual}, expected ${expected}`);
  }
}

function parseModelJson(bytes: Uint8Array): LayersModelJson {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error(`model.json is not valid JSON: ${(error as Error).message}`);
  }
  const manifest = (json as LayersModelJson | null)?.weightsManifest;
  if (!Array.isArray(manifest)) throw new Error('model.json has no weightsManifest: is it a TensorFlow.js layers model?');
  return json as LayersModelJson;
}

function concatenate(parts: Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out.buffer;
}
