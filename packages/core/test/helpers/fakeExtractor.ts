import * as tf from '@tensorflow/tfjs-core';
import type { VggFeatureExtractor } from '../../src/index.ts';
import { avgPool2, squareEach, type HostTensor } from './reference.ts';

/**
 * A stand-in feature extractor with two cheap layers whose values are easy to reproduce on the host:
 * 'identity' (the input itself) and 'pooledSquare' (2×2 average pooling, then each value squared).
 * It records the layers asked for on every call.
 */
export function createFakeExtractor(): VggFeatureExtractor & { calls: string[][] } {
  const calls: string[][] = [];
  const layers = ['identity', 'pooledSquare'];
  return {
    model: 'vgg16',
    availableLayers: layers,
    calls,
    checkLayers(requested) {
      for (const l of requested) if (!layers.includes(l)) throw new Error(`fake extractor has no layer ${l}`);
    },
    extract(input, requested) {
      calls.push([...requested]);
      const out = new Map<string, tf.Tensor4D>();
      for (const layer of requested) {
        if (layer === 'identity') out.set(layer, tf.clone(input));
        else if (layer === 'pooledSquare') out.set(layer, tf.square(tf.avgPool(input, 2, 2, 'valid')));
        else throw new Error(`fake extractor has no layer ${layer}`);
      }
      return out;
    },
    dispose() {},
  };
}

/** The fake extractor's features, computed on the host. */
export function fakeFeatures(image: HostTensor, layer: string): HostTensor {
  if (layer === 'identity') return image;
  if (layer === 'pooledSquare') return squareEach(avgPool2(image));
  throw new Error(`fake extractor has no layer ${layer}`);
}
