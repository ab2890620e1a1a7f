import * as tf from '@tensorflow/tfjs-core';
import { releaseAfterBackward } from '../ops/releaseAfterBackward.ts';

/**
 * factor · Σ (features − target)², with its gradient 2·factor·(features − target) written out so
 * that the backward makes one features-sized tensor instead of keeping three (see releaseAfterBackward).
 */
export function contentLoss(features: tf.Tensor4D, target: tf.Tensor4D, factor: number): tf.Scalar {
  const loss = tf.customGrad(((f: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([f]);
    return {
      value: tf.mul(tf.sum(tf.squaredDifference(f, target)), factor),
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => {
        const df = tf.tidy(() => tf.mul(tf.sub(saved, target), tf.mul(dy, 2 * factor)));
        releaseAfterBackward(dy, saved);
        return [df];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (f: tf.Tensor4D) => tf.Scalar;
  return loss(features);
}
