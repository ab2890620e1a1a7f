import * as tf from '@tensorflow/tfjs-core';
import type { Pooling } from '../vgg/architecture.ts';
import type { VggFeatureExtractor } from '../vgg/createVggFeatureExtractor.ts';
import { contentLoss } from './contentLoss.ts';
import type { Normalization } from './normalization.ts';
import { styleLoss, type StyleTarget } from './styleLoss.ts';
import { totalVariationLoss } from './totalVariationLoss.ts';

/** What the combination image is compared with, computed once per scale. */
export interface Targets {
  content: Map<string, tf.Tensor4D>;
  style: Map<string, StyleTarget>;
}

export interface LossSettings {
  extractor: VggFeatureExtractor;
  pooling: Pooling;
  normalization: Normalization;
  contentLayers: string[];
  styleLayers: string[];
  /** Normalised to sum 1. */
  styleLayerWeights: number[];
  contentWeight: number;
  styleWeight: number;
  tvWeight: number;
}

export interface LossTensors {
  content: tf.Scalar;
  style: tf.Scalar;
  tv: tf.Scalar;
}

/** The three weighted loss terms of a VGG-preprocessed combination image [1, h, w, 3]. */
export function lossTerms(image: tf.Tensor4D, targets: Targets, s: LossSettings): LossTensors {
  const [, height, width] = image.shape;
  const n = s.normalization;
  const layers = [...(s.contentWeight > 0 ? s.contentLayers : []), ...(s.styleWeight > 0 ? s.styleLayers : [])];
  const features = layers.length > 0 ? s.extractor.extract(image, layers, s.pooling) : new Map<string, tf.Tensor4D>();

  const zero = tf.scalar(0);
  const content =
    s.contentWeight > 0
      ? tf.mul(tf.addN(s.contentLayers.map((l) => contentLoss(features.get(l)!, targets.content.get(l)!, n.contentFactor(features.get(l)!.size)))), s.contentWeight)
      : zero;
  const style =
    s.styleWeight > 0
      ? tf.mul(
          tf.addN(
            s.styleLayers.map((l, i) => {
              const f = features.get(l)!;
              const [, fh, fw, channels] = f.shape;
              const factor = s.styleLayerWeights[i] * n.styleFactor(channels, height, width);
              return styleLoss(f, targets.style.get(l)!, n.gramDivisor(fh * fw), factor);
            }),
          ),
          s.styleWeight,
        )
      : zero;
  const tv =
    s.tvWeight > 0
      ? tf.mul(totalVariationLoss(image, n.tvFactor(height, width)), s.tvWeight)
      : zero;
  return { content: content as tf.Scalar, style: style as tf.Scalar, tv: tv as tf.Scalar };
}
