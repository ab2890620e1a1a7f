import * as tf from '@tensorflow/tfjs-core';
import { releaseAfterBackward } from './releaseAfterBackward.ts';

/**
 * Gram matrix Fᵀ·F of features [1, h, w, c] flattened to F = [h·w, c] (unnormalised, c × c).
 * Written as matMul(transpose(F), F) with its own gradient dF = F·(dG + dGᵀ): tfjs's stock gradient
 * uses matMul with transposed operands, which the wasm backend runs about 10× slower.
 */
export const gramMatrix = tf.customGrad(((features: tf.Tensor4D, save: tf.GradSaveFunc) => {
  const [, h, w, c] = features.shape;
  const f = tf.reshape(features, [h! * w!, c!]) as tf.Tensor2D;
  save([f]);
  return {
    value: tf.matMul(tf.transpose(f), f),
    gradFunc: (dG: tf.Tensor, [saved]: tf.Tensor[]) => {
      const dF = tf.tidy(() => tf.reshape(tf.matMul(saved as tf.Tensor2D, tf.add(dG, tf.transpose(dG)) as tf.Tensor2D), features.shape));
      releaseAfterBackward(dG, saved);
      return [dF];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (features: tf.Tensor4D) => tf.Tensor2D;
