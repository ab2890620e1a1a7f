import * as tf from '@tensorflow/tfjs-core';
import { gramMatrix } from '../ops/gramMatrix.ts';

/**
 * Blended style target of one layer. For style Grams A_s with blend weights w_s (Σ w_s = 1),
 * Σ_s w_s ‖G − A_s‖² = ‖G − Ā‖² + (Σ_s w_s ‖A_s‖² − ‖Ā‖²) with Ā = Σ_s w_s A_s: one target and a constant
 * give the exact multi-style loss at the cost of a single style.
 */
export interface StyleTarget {
  gram: tf.Tensor2D;
  constant: number;
}

/** Blends the (already normalised) Grams of each style image at one layer. */
export async function blendStyleTargets(grams: tf.Tensor2D[], weights: number[]): Promise<StyleTarget> {
  const total = weights.reduce((a, b) => a + b, 0);
  const w = weights.map((x) => x / total);
  const gram = tf.tidy(() => tf.addN(grams.map((g, i) => tf.mul(g, w[i]))) as tf.Tensor2D);
  const constant = tf.tidy(() =>
    tf.sub(tf.addN(grams.map((g, i) => tf.mul(tf.sum(tf.square(g)), w[i]))), tf.sum(tf.square(gram))),
  );
  const [value] = await constant.data();
  constant.dispose();
  return { gram, constant: Math.max(0, value) };
}

/** The Gram matrix of features divided by `divisor`. */
export function normalizedGram(features: tf.Tensor4D, divisor: number): tf.Tensor2D {
  return tf.tidy(() => tf.div(gramMatrix(features), divisor));
}

/** factor · Σ_s w_s ‖gram(features)/divisor − A_s‖², through the blended target. */
export function styleLoss(features: tf.Tensor4D, target: StyleTarget, divisor: number, factor: number): tf.Scalar {
  const gram = tf.div(gramMatrix(features), divisor);
  return tf.mul(tf.add(tf.sum(tf.squaredDifference(gram, target.gram)), target.constant), factor);
}
