import type { Checksum } from './downloadToCache.ts';
import type { VggModelName as VggModel } from '@pastiche/core';

/**
 * The canonical Keras `include_top=False` ImageNet weights and the md5 Keras checks them against.
 * Source: keras-team/keras, `keras/src/applications/vgg16.py` (commit 51d7e77046f5b562fbde669068a29b4b33e1f745)
 * and `keras/src/applications/vgg19.py` (commit 3859fb42a8e103c6d8f1c5dd9e219d9e59a8e522):
 * `WEIGHTS_PATH_NO_TOP` and `file_utils.get_file("vgg1X_weights_tf_dim_ordering_tf_kernels_notop.h5", …,
 * file_hash=…)` (a 32-hex file_hash is an md5 for Keras' get_file).
 */
const DEFAULT_WEIGHTS: Record<VggModel, { url: string; checksum: Checksum }> = {
  vgg16: {
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
    checksum: { md5: '6d6bbae143d832006294945121d1f1fc' },
  },
  vgg19: {
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5',
    checksum: { md5: '253f8cb515780f3b799900260a226db6' },
  },
};

/** URL and checksum of the default (Keras notop .h5) weights for a model. */
export function defaultWeightsUrl(model: VggModel): { url: string; checksum: Checksum } {
  const entry = DEFAULT_WEIGHTS[model];
  if (!entry) throw new Error(`Unknown model '${String(model)}'; expected vgg16 or vgg19.`);
  return { url: entry.url, checksum: { ...entry.checksum } };
}
