import type { CreateEngine, Engine } from './engines/types.ts';
import { createTfjsEngine } from './engines/tfjs/createTfjsEngine.ts';
import { stylize, type StylizeCallbacks, type StylizeResult } from './stylize.ts';
import type { StylizeRequest } from './request/types.ts';
import { vggConvLayerNames, type VggModelName } from './vgg/architecture.ts';
import { decodeConvWeights } from './weights/decodeConvWeights.ts';
import { readModelFiles } from './weights/readModelFiles.ts';
import type { LoadProgress, WeightsSource } from './weights/types.ts';

export interface PasticheConfig {
  /** Where each model's weights come from; a model is loaded on first use and kept. */
  weights: Partial<Record<VggModelName, WeightsSource>>;
  /** Makes a model's engine once its weights are read. Default: the TensorFlow.js engine on tfjs's active backend. */
  createEngine?: CreateEngine;
  onWeightsProgress?(model: VggModelName, progress: LoadProgress): void;
}

export interface Pastiche {
  /** Models that have a weights source. */
  readonly models: VggModelName[];
  /** Loads (once) and returns a model's engine. */
  loadModel(model: VggModelName): Promise<Engine>;
  stylize(request: StylizeRequest, callbacks?: StylizeCallbacks): Promise<StylizeResult>;
  dispose(): void;
}

/** Weights loaded once per model into an engine shared by every run. */
export function createPastiche(config: PasticheConfig): Pastiche {
  const models = Object.keys(config.weights) as VggModelName[];
  if (models.length === 0) throw new Error('createPastiche needs at least one weights source (weights.vgg16 or weights.vgg19)');
  for (const model of models) {
    if (!vggConvLayerNames(model as VggModelName).length) throw new Error(`weights: unknown model ${model}; expected vgg16 or vgg19`);
  }
  const createEngine = config.createEngine ?? ((model, weights) => createTfjsEngine(model, weights));
  const loaded = new Map<VggModelName, Promise<Engine>>();

  const loadModel = (model: VggModelName) => {
    const source = config.weights[model];
    if (!source) return Promise.reject(new Error(`options.model: no weights configured for ${model}; available: ${models.join(', ')}`));
    let engine = loaded.get(model);
    if (!engine) {
      engine = readModelFiles(source, (p) => config.onWeightsProgress?.(model, p)).then((files) => createEngine(model, decodeConvWeights(files)));
      engine.catch(() => loaded.delete(model)); // a failed load may be retried
      loaded.set(model, engine);
    }
    return engine;
  };

  return {
    models,
    loadModel,
    async stylize(request, callbacks) {
      const model = request?.options?.model ?? 'vgg16';
      return stylize(await loadModel(model), request, callbacks);
    },
    dispose() {
      for (const engine of loaded.values()) engine.then((e) => e.dispose(), () => {});
      loaded.clear();
    },
  };
}
