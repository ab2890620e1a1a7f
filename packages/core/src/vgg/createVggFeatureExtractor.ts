import * as tf from '@tensorflow/tfjs-core';
import { createConvRelu } from '../ops/convReluWithFlippedKernelGradient.ts';
import { pool2x2 } from '../ops/pool2x2.ts';
import { PasticheInputError } from '../request/PasticheInputError.ts';
import type { ConvWeightsByLayer } from '../weights/types.ts';
import { vggArchitecture, type Pooling, type VggModelName } from './architecture.ts';

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
  const convSteps = steps.filter((s) => s.kind === 'conv');
  // Weights for a prefix of the network: a partial download (e.g. blocks 1–3) still serves shallow layers.
  const available: string[] = [];
  for (const step of convSteps) {
    const w = weights.get(step.name);
    if (!w) break;
    const expected = [3, 3, step.inChannels, step.outChannels];
    if (w.kernelShape.join() !== expected.join() || w.bias.length !== step.outChannels) {
      throw new Error(`${model} weights for ${step.name} have kernel [${w.kernelShape}] and ${w.bias.length} biases, expected [${expected}] and ${step.outChannels}`);
    }
    available.push(step.name);
  }
  if (available.length === 0) throw new Error(`the weights contain no ${model} conv layers (expected block1_conv1 first)`);

  const convs = new Map(
    available.map((name) => {
      const w = weights.get(name)!;
      return [name, createConvRelu(tf.tensor4d(w.kernel, w.kernelShape), tf.tensor1d(w.bias))] as const;
    }),
  );

  const checkLayers = (layers: readonly string[], field = 'layers') => {
    for (const layer of layers) {
      if (!available.includes(layer)) {
        const known = convSteps.some((s) => s.name === layer);
        throw new PasticheInputError(
          field,
          `${known ? `the ${model} weights in use lack layer` : `${model} has no layer`} "${layer}"; layers present: ${available.join(', ')}`,
        );
      }
    }
  };

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
