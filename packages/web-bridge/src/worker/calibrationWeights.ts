import { stepsThrough, type ConvWeightsByLayer, type VggModelName } from '@pastiche/core';

/**
 * Weights of the real shapes up to `throughLayer`, for timing an engine before (or without) the real ones
 * are downloaded: an evaluation costs the same whatever the values. Deterministic noise at He scale (std
 * √(2 / fan-in)), so activations neither vanish into slow denormals nor overflow through the layers.
 */
export function calibrationWeights(model: VggModelName, throughLayer: string): ConvWeightsByLayer {
  const weights: ConvWeightsByLayer = new Map();
  for (const step of stepsThrough(model, [throughLayer])) {
    if (step.kind !== 'conv') continue;
    const fanIn = 9 * step.inChannels;
    const kernel = new Float32Array(fanIn * step.outChannels);
    // Uniform on ±√3·std has that std; a multiplicative hash gives the values without a generator's state.
    const spread = Math.sqrt(3) * Math.sqrt(2 / fanIn);
    for (let i = 0; i < kernel.length; i++) kernel[i] = (((Math.imul(i + 1, 2654435761) >>> 0) / 2 ** 32) * 2 - 1) * spread;
    weights.set(step.name, { kernel, kernelShape: [3, 3, step.inChannels, step.outChannels], bias: new Float32Array(step.outChannels) });
  }
  return weights;
}
