import * as tf from '@tensorflow/tfjs-core';

/** factor · Σ (features − target)². */
export function contentLoss(features: tf.Tensor4D, target: tf.Tensor4D, factor: number): tf.Scalar {
  return tf.mul(tf.sum(tf.squaredDifference(features, target)), factor);
}
