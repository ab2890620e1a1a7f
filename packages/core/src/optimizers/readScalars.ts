import * as tf from '@tensorflow/tfjs-core';

/**
 * Computes a few scalars on the backend and reads them back in one transfer. Uses `await data()`
 * rather than dataSync so a WebGL backend is not blocked.
 */
export async function readScalars(compute: () => tf.Tensor[]): Promise<number[]> {
  const packed = tf.tidy(() => tf.stack(compute()));
  try {
    return Array.from(await packed.data());
  } finally {
    packed.dispose();
  }
}
