import { PasticheInputError, vggConvLayerNames, type ResolvedOptions } from '@pastiche/core';
import type { EngineModel } from '../../engine/engineMessages.ts';

/**
 * Refuses, at submission, a job whose model or layers the engines' weights lack (the engines report their
 * layers when ready), worded as the core words it when it checks the same in the engine.
 */
export function checkLayersPresent(models: EngineModel[], options: ResolvedOptions): void {
  const model = models.find((m) => m.name === options.model);
  if (!model) throw new PasticheInputError('options.model', `this runner has no ${options.model} weights; available: ${models.map((m) => m.name).join(', ')}`);
  const wanted: Array<[string, string[]]> = [['options.contentLayers', options.contentLayers], ['options.styleLayers', options.styleLayers]];
  for (const [field, layers] of wanted) {
    for (const layer of layers) {
      if (model.layers.includes(layer)) continue;
      const known = vggConvLayerNames(model.name).includes(layer);
      throw new PasticheInputError(field, `${known ? `the ${model.name} weights in use lack layer` : `${model.name} has no layer`} "${layer}"; layers present: ${model.layers.join(', ')}`);
    }
  }
}
