import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeConvWeights, readModelFiles, vggArchitecture, type ConvWeightsByLayer, type Integrity, type ReaderWeightsSource, type VggModelName } from '../../src/index.ts';
import { MODELS_DIR } from './paths.ts';
import { mulberry32 } from './random.ts';

/** The real ImageNet weights (blocks 1–3 only), read at run time from ../shared/models/<model>. */
export function realWeightsSource(model: VggModelName = 'vgg16', integrity?: Integrity): ReaderWeightsSource {
  const dir = path.join(MODELS_DIR, model);
  return { kind: 'reader', read: async (file) => new Uint8Array(await readFile(path.join(dir, file))), integrity };
}

const cache = new Map<VggModelName, Promise<ConvWeightsByLayer>>();

/** Decoded real weights, read once per process. */
export function loadRealWeights(model: VggModelName = 'vgg16'): Promise<ConvWeightsByLayer> {
  let weights = cache.get(model);
  if (!weights) {
    weights = readModelFiles(realWeightsSource(model)).then(decodeConvWeights);
    cache.set(model, weights);
  }
  return weights;
}

/** The real weights restricted to the conv layers up to and including `lastLayer`. */
export async function realWeightsUpTo(lastLayer: string, model: VggModelName = 'vgg16'): Promise<ConvWeightsByLayer> {
  const all = await loadRealWeights(model);
  return prefix(all, model, lastLayer);
}

/**
 * Seeded synthetic weights of the exact VGG shapes for the conv layers up to `lastLayer`: He-scaled
 * uniform kernels (so activations keep their magnitude layer after layer) and small positive biases.
 */
export function syntheticWeights(model: VggModelName, lastLayer: string, seed = 1): ConvWeightsByLayer {
  const next = mulberry32(seed);
  const weights: ConvWeightsByLayer = new Map();
  for (const step of vggArchitecture(model)) {
    if (step.kind !== 'conv') continue;
    const fanIn = 9 * step.inChannels;
    const bound = Math.sqrt(6 / fanIn);
    const kernel = new Float32Array(fanIn * step.outChannels);
    for (let i = 0; i < kernel.length; i++) kernel[i] = (2 * next() - 1) * bound;
    const bias = new Float32Array(step.outChannels);
    for (let i = 0; i < bias.length; i++) bias[i] = 0.05 + 0.1 * next();
    weights.set(step.name, { kernel, kernelShape: [3, 3, step.inChannels, step.outChannels], bias });
    if (step.name === lastLayer) return weights;
  }
  throw new Error(`${model} has no layer ${lastLayer}`);
}

function prefix(all: ConvWeightsByLayer, model: VggModelName, lastLayer: string): ConvWeightsByLayer {
  const out: ConvWeightsByLayer = new Map();
  for (const step of vggArchitecture(model)) {
    if (step.kind !== 'conv') continue;
    const w = all.get(step.name);
    if (!w) throw new Error(`the real ${model} weights lack ${step.name}`);
    out.set(step.name, w);
    if (step.name === lastLayer) return out;
  }
  throw new Error(`${model} has no layer ${lastLayer}`);
}
