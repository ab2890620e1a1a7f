import { stylize, type StylizeCallbacks, type StylizeResult } from './stylize.ts';
import type { StylizeRequest } from './request/types.ts';
import { vggConvLayerNames, type VggModelName } from './vgg/architecture.ts';
import { createVggFeatureExtractor, type VggFeatureExtractor } from './vgg/createVggFeatureExtractor.ts';
import { decodeConvWeights } from './weights/decodeConvWeights.ts';
import { readModelFiles } from './weights/readModelFiles.ts';
import type { LoadProgress, WeightsSource } from './weights/types.ts';

export interface PasticheConfig {
  /** Where each model's weights come from; a model is loaded on first use and kept. */
  weights: Partial<Record<VggModelName, WeightsSource>>;
  onWeightsProgress?(model: VggModelName, progress: LoadProgress): void;
}

export interface Pastiche {
  /** Models that have a weights source. */
  readonly models: VggModelName[];
  /** Loads (once) and returns a model's feature extractor. */
  loadModel(model: VggModelName): Promise<VggFeatureExtractor>;
  stylize(request: StylizeRequest, callbacks?: StylizeCallbacks): Promise<StylizeResult>;
  dispose(): void;
}

/** The engine: weights loaded once per model and shared by every run. */
export function createPastiche(config: PasticheConfig): Pastiche {
  const models = Object.keys(config.weights) as VggModelName[];
  if (models.length === 0) throw new Error('createPastiche needs at least one weights source (weights.vgg16 or weights.vgg19)');
  for (const model of models) {
    if (!vggConvLayerNames(model as VggModelName).length) throw new Error(`weights: unknown model ${model}; expected vgg16 or vgg19`);
  }
  const loaded = new Map<VggModelName, Promise<VggFeatureExtractor>>();

  const loadModel = (model: VggModelName) => {
    const source = config.weights[model];
    if (!source) return Promise.reject(new Error(`options.model: no weights configured for ${model}; available: ${models.join(', ')}`));
    let extractor = loaded.get(model);
    if (!extractor) {
      extractor = readModelFiles(source, (p) => config.onWeightsProgress?.(model, p)).then((files) =>
        createVggFeatureExtractor(model, decodeConvWeights(files)),
      );
      extractor.catch(() => loaded.delete(model)); // a failed load may be retried
      loaded.set(model, extractor);
    }
    return extractor;
  };

  return {
    models,
    loadModel,
    async stylize(request, callbacks) {
      const model = request?.options?.model ?? 'vgg16';
      return stylize(await loadModel(model), request, callbacks);
    },
    dispose() {
      for (const extractor of loaded.values()) extractor.then((e) => e.dispose(), () => {});
      loaded.clear();
    },
  };
}
