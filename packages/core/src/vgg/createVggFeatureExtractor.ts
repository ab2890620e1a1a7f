import * as tf from '@tensorflow/tfjs-core';
import { createConvRelu } from '../ops/convReluWithFlippedKernelGradient.ts';
import { pool2x2 } from '../ops/pool2x2.ts';
import type { ConvWeightsByLayer } from '../weights/types.ts';
import { vggArchitecture, type Pooling, type VggModelName } from './architecture.ts';
import { checkLayersAvailable, findAvailableLayers } from './findAvailableLayers.ts';

export interface VggFeatureExtractor {
  readonly model: VggModelName;
  /** Conv layers whose weights are present, in network order. */
  readonly availableLayers: readonly string[];
  /** Throws naming the layer and the layers present if any requested layer cannot be computed. */
  checkLayers(layers: readonly string[], field?: string): void;
  /**
   * Features of a VGG-preprocessed batch [n, h, w, 3] at the requested conv layers (post-ReLU).
   * Runs the network only as deep as the deepest requested layer.
   */
  extract(input: tf.Tensor4D, layers: readonly string[], pooling: Pooling): Map<string, tf.Tensor4D>;
  dispose(): void;
}

export function createVggFeatureExtractor(model: VggModelName, weights: ConvWeightsByLayer): VggFeatureExtractor {
  const steps = vggArchitecture(model);
  const available = findAvailableLayers(model, weights);

  const convs = new Map(
    available.map((name) => {
      const w = weights.get(name)!;
      return [name, createConvRelu(tf.tensor4d(w.kernel, w.kernelShape), tf.tensor1d(w.bias))] as const;
    }),
  );

  const checkLayers = (layers: readonly string[], field = 'layers') => checkLayersAvailable(model, available, layers, field);

  return {
    model,
    availableLayers: available,
    checkLayers,
    extract(input, layers, pooling) {
      checkLayers(layers);
      const wanted = new Set(layers);
      const deepest = Math.max(...layers.map((l) => available.indexOf(l)));
      const features = new Map<string, tf.Tensor4D>();
      let x = input;
      // Each activation is freed once the next layer has read it, unless it is returned: the ops save
      // what their gradients need under their own references, so this holds with a gradient too.
      const advance = (next: tf.Tensor4D) => {
        if (x !== input && ![...features.values()].includes(x)) x.dispose();
        x = next;
      };
      for (const step of steps) {
        if (features.size === wanted.size) break;
        if (step.kind === 'pool') {
          advance(pool2x2(x, pooling));
          continue;
        }
        if (available.indexOf(step.name) > deepest) break;
        advance(convs.get(step.name)!.apply(x));
        if (wanted.has(step.name)) features.set(step.name, x);
      }
      return features;
    },
    dispose() {
      for (const conv of convs.values()) conv.dispose();
    },
  };
}
