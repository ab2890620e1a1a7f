import * as tf from '@tensorflow/tfjs-core';

/**
 * factor · Σ ((x[i,j] − x[i+1,j])² + (x[i,j] − x[i,j+1])²)^1.25 over i < h−1, j < w−1 (as the notebooks
 * crop it).
 */
export function totalVariationLoss(image: tf.Tensor4D, factor: number): tf.Scalar {
  const [, h, w] = image.shape;
  const corner = tf.slice(image, [0, 0, 0, 0], [-1, h - 1, w - 1, -1]);
  const below = tf.slice(image, [0, 1, 0, 0], [-1, h - 1, w - 1, -1]);
  const right = tf.slice(image, [0, 0, 1, 0], [-1, h - 1, w - 1, -1]);
  const squares = tf.add(tf.squaredDifference(corner, below), tf.squaredDifference(corner, right));
  return tf.mul(tf.sum(tf.pow(squares, 1.25)), factor);
}
