import * as tf from '@tensorflow/tfjs-core';
import { blendStyleTargets, normalizedGram } from './styleLoss.ts';
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
  const targets: Targets = { content: new Map(), style: new Map() };
  const gramsByLayer = new Map<string, tf.Tensor2D[]>(s.styleLayers.map((l) => [l, []]));
  try {
    tf.tidy(() => {
      for (const [layer, f] of s.extractor.extract(content, s.contentLayers, s.pooling)) targets.content.set(layer, tf.keep(f));
    });
    const active = styles.filter((style) => style.weight > 0);
    for (const style of active) {
      tf.tidy(() => {
        for (const [layer, f] of s.extractor.extract(style.image, s.styleLayers, s.pooling)) {
          const [, h, w] = f.shape;
          gramsByLayer.get(layer)!.push(tf.keep(normalizedGram(f, s.normalization.gramDivisor(h * w))));
        }
      });
    }
    for (const [layer, grams] of gramsByLayer) {
      targets.style.set(layer, await blendStyleTargets(grams, active.map((a) => a.weight)));
    }
    return targets;
  } catch (error) {
    disposeTargets(targets); // out of memory on a big render, typically: give back what was made
    throw error;
  } finally {
    tf.dispose([...gramsByLayer.values()].flat());
  }
}

export function disposeTargets(targets: Targets) {
  tf.dispose([...targets.content.values(), ...[...targets.style.values()].map((t) => t.gram)]);
}
