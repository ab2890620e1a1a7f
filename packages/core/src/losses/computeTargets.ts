import * as tf from '@tensorflow/tfjs-core';
import { blendStyleTargets, normalizedGram, type StyleTarget } from './styleLoss.ts';
import type { LossSettings, Targets } from './lossTerms.ts';

/**
 * Content features and blended style Grams, computed once per scale: afterwards only the combination
 * image goes through the network.
 */
export async function computeTargets(
  content: tf.Tensor4D,
  styles: Array<{ image: tf.Tensor4D; weight: number }>,
  s: LossSettings,
): Promise<Targets> {
  const contentFeatures = new Map<string, tf.Tensor4D>();
  tf.tidy(() => {
    for (const [layer, f] of s.extractor.extract(content, s.contentLayers, s.pooling)) contentFeatures.set(layer, tf.keep(f));
  });

  const active = styles.filter((style) => style.weight > 0);
  const gramsByLayer = new Map<string, tf.Tensor2D[]>(s.styleLayers.map((l) => [l, []]));
  for (const style of active) {
    tf.tidy(() => {
      const features = s.extractor.extract(style.image, s.styleLayers, s.pooling);
      for (const [layer, f] of features) {
        const [, h, w] = f.shape;
        gramsByLayer.get(layer)!.push(tf.keep(normalizedGram(f, s.normalization.gramDivisor(h * w))));
      }
    });
  }
  const style = new Map<string, StyleTarget>();
  for (const [layer, grams] of gramsByLayer) {
    style.set(layer, await blendStyleTargets(grams, active.map((a) => a.weight)));
    tf.dispose(grams);
  }
  return { content: contentFeatures, style };
}

export function disposeTargets(targets: Targets) {
  tf.dispose([...targets.content.values(), ...[...targets.style.values()].map((t) => t.gram)]);
}
