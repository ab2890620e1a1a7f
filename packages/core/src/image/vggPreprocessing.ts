import * as tf from '@tensorflow/tfjs-core';
import type { RgbaImage } from './types.ts';

/** ImageNet channel means in BGR order, as the Caffe/Keras VGG weights expect. */
export const IMAGENET_MEAN_BGR: readonly number[] = [103.939, 116.779, 123.68];

/** RGBA bytes → float RGB [1, h, w, 3] in 0–255 (alpha dropped). */
export function rgbaToTensor(image: RgbaImage): tf.Tensor4D {
  return tf.tidy(() => {
    const rgba = tf.tensor3d(Uint8Array.from(image.data), [image.height, image.width, 4], 'int32');
    return tf.expandDims(tf.cast(tf.slice(rgba, [0, 0, 0], [-1, -1, 3]), 'float32'), 0) as tf.Tensor4D;
  });
}

/** RGB 0–255 → VGG input: BGR minus the ImageNet means. */
export function toVggInput(rgb: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sub(tf.reverse(rgb, -1), tf.tensor1d([...IMAGENET_MEAN_BGR])));
}

/** VGG input → RGB 0–255, unclipped (the inverse of toVggInput). */
export function fromVggInput(bgr: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.reverse(tf.add(bgr, tf.tensor1d([...IMAGENET_MEAN_BGR])), -1) as tf.Tensor4D);
}

/** Float RGB [1, h, w, 3] → RGBA bytes: clipped to 0–255 and rounded, alpha opaque. */
export async function tensorToRgba(rgb: tf.Tensor4D): Promise<RgbaImage> {
  const [, height, width] = rgb.shape;
  const rgba = tf.tidy(() => {
    const bytes = tf.squeeze(tf.round(tf.clipByValue(rgb, 0, 255)), [0]);
    return tf.cast(tf.concat([bytes, tf.fill([height, width, 1], 255)], 2), 'int32');
  });
  const values = await rgba.data();
  rgba.dispose();
  return { width, height, data: Uint8ClampedArray.from(values) };
}
