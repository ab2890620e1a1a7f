import type { VggModelName } from '@pastiche/core';

/**
 * The weights the browser engines load when no runner serves them: the VGG ImageNet conv weights as the
 * npm package Pastiche publishes (TensorFlow.js layers format, float16, one file per layer, sha256 of each
 * in model.json, CC BY 4.0 with attribution), served by jsDelivr, which answers every origin with
 * `Access-Control-Allow-Origin: *` and serves a published version's files unchanged for good (files up to
 * 20 MB, packages up to 150 MB). The canonical Keras files are float32 HDF5 (58 MB for VGG16) in a storage
 * bucket whose CORS settings nobody here controls. `npm run weights-package` writes the package; docs/plugins.md
 * says how to publish it.
 */
export const DEFAULT_WEIGHTS_PACKAGE = { name: '@pastiche/vgg-weights', version: '1.0.0' } as const;

/** The origin the Figma manifest must allow for these weights. */
export const DEFAULT_WEIGHTS_ORIGIN = 'https://cdn.jsdelivr.net';

/** model.json of a model in the default weights package. */
export function defaultModelUrl(model: VggModelName): string {
  return `${DEFAULT_WEIGHTS_ORIGIN}/npm/${DEFAULT_WEIGHTS_PACKAGE.name}@${DEFAULT_WEIGHTS_PACKAGE.version}/${model}/model.json`;
}
