import { featureShapes, stepsThrough, type VggModelName } from '@pastiche/core';

/**
 * The longest side of a square image whose largest activation (64 channels at full size, 4 bytes each)
 * fits in one buffer of `bytes`: what a GPU's storage-binding limit allows the engine.
 */
export function largestSideForBuffer(bytes: number, model: VggModelName = 'vgg16'): number {
  const steps = stepsThrough(model, ['block1_conv1']);
  const perPixel = Math.max(...[...featureShapes(steps, 1, 1).values()].map((f) => f.channels * 4));
  return Math.floor(Math.sqrt(bytes / perPixel));
}
