import * as tf from '@tensorflow/tfjs-core';
import type { VggImage } from '../types.ts';

/** A VggImage as the tfjs network takes it: [1, h, w, 3]. The tensor may share the image's array (cpu backend). */
export function vggImageTensor(image: VggImage): tf.Tensor4D {
  return tf.tensor4d(image.data, [1, image.height, image.width, 3]);
}
