import * as tf from '@tensorflow/tfjs-core';
import { resizeImage } from './resizeImage.ts';

/**
 * A coarse scale's result brought to the size of `fine`, with the detail that `fine` (the content at
 * this scale) has and the coarse size cannot hold added back: fine − up(down(fine)), a Laplacian
 * pyramid level. Upsampling alone gives a blurred image whose edges the finer scale must first
 * rebuild. When the run started from the content, this is the content at full resolution plus the
 * coarse scales' change to it. Measured at 512 px after 100 evaluations at 256: the start's loss
 * 4.1M instead of 7.2M, and 253k instead of 313k after 30 evaluations.
 */
export function upsampleWithDetail(coarse: tf.Tensor4D, fine: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, height, width] = fine.shape;
    const [, coarseHeight, coarseWidth] = coarse.shape;
    const detail = tf.sub(fine, resizeImage(resizeImage(fine, coarseHeight, coarseWidth), height, width));
    return tf.add(resizeImage(coarse, height, width), detail);
  });
}
