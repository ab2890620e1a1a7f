import { readModelFiles, type LayersModelJson, type WeightsManifestGroup, type WeightsSource } from '@pastiche/core';

/** A model's files as the runner serves them to browsers: model.json and flat-named weight shards. */
export interface ServedModel {
  modelJson(): Promise<LayersModelJson>;
  /** The bytes of a shard named in the served model.json; undefined for any other name. */
  shard(name: string): Promise<Uint8Array | undefined>;
}

/**
 * Serves a weights source in TensorFlow.js layers format. Files on disk are streamed from the source as
 * they are (read on request, nothing kept in memory). In-memory sources (a converted Keras .h5) have no
 * files: the served manifest gives each weight group one shard, cut from the in-memory weight data.
 * Shard names are flattened (`a/b.bin` → `a__b.bin`) so that each is one URL segment.
 */
export function createServedModel(source: WeightsSource): ServedModel {
  // Read on first request, and again after a failure (a file being replaced, say).
  let files: Promise<ServedFiles> | undefined;
  const load = () => {
    files ??= (source.kind === 'reader' ? fromReader(source.read) : fromMemory(source)).catch((error) => {
      files = undefined;
      throw error;
    });
    return files;
  };
  return {
    modelJson: async () => (await load()).modelJson,
    shard: async (name) => (await load()).shards.get(name)?.(),
  };
}

interface ServedFiles {
  modelJson: LayersModelJson;
  shards: Map<string, () => Promise<Uint8Array>>;
}

async function fromReader(read: (path: string) => Promise<Uint8Array>): Promise<ServedFiles> {
  const original = JSON.parse(new TextDecoder().decode(await read('model.json'))) as LayersModelJson;
  const shards = new Map<string, () => Promise<Uint8Array>>();
  const weightsManifest = original.weightsManifest.map((group) => ({
    ...group,
    paths: group.paths.map((p) => {
      const name = flatName(p);
      shards.set(name, () => read(p));
      return name;
    }),
  }));
  return { modelJson: { ...original, weightsManifest }, shards };
}

async function fromMemory(source: WeightsSource): Promise<ServedFiles> {
  const { modelJson, weightData } = await readModelFiles(source); // a memory source as is; a URL source fetched once
  const shards = new Map<string, () => Promise<Uint8Array>>();
  let offset = 0;
  const weightsManifest: WeightsManifestGroup[] = modelJson.weightsManifest.map((group, i) => {
    const length = group.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT[w.dtype], 0);
    const bytes = new Uint8Array(weightData, offset, length);
    offset += length;
    const name = group.paths.length === 1 ? flatName(group.paths[0]) : `group${i + 1}-shard1of1.bin`;
    shards.set(name, async () => bytes);
    return { ...group, paths: [name] };
  });
  if (offset !== weightData.byteLength) throw new Error(`the weights hold ${weightData.byteLength} bytes but their manifest describes ${offset}`);
  return { modelJson: { ...modelJson, format: modelJson.format ?? 'layers-model', weightsManifest }, shards };
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, uint8: 1, bool: 1, float16: 2 };
const flatName = (p: string) => p.replace(/^\.\//, '').replace(/[\\/]/g, '__');
