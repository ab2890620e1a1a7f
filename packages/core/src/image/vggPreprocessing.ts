import type { FloatImage, RgbaImage } from './types.ts';

/** ImageNet channel means in BGR order, as the Caffe/Keras VGG weights expect. */
export const IMAGENET_MEAN_BGR: readonly number[] = [103.939, 116.779, 123.68];

/** RGBA bytes → float RGB 0–255 (alpha dropped). */
export function rgbaToRgb(image: RgbaImage): FloatImage {
  const pixels = image.width * image.height;
  const data = new Float32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    data[3 * p] = image.data[4 * p];
    data[3 * p + 1] = image.data[4 * p + 1];
    data[3 * p + 2] = image.data[4 * p + 2];
  }
  return { width: image.width, height: image.height, data };
}

/** RGB 0–255 → VGG input: BGR minus the ImageNet means. */
export function toVggInput(rgb: FloatImage): FloatImage {
  const data = new Float32Array(rgb.data.length);
  const [b, g, r] = IMAGENET_MEAN_BGR;
  for (let i = 0; i < data.length; i += 3) {
    data[i] = rgb.data[i + 2] - b;
    data[i + 1] = rgb.data[i + 1] - g;
    data[i + 2] = rgb.data[i] - r;
  }
  return { width: rgb.width, height: rgb.height, data };
}

/** VGG input → RGB 0–255, unclipped (the inverse of toVggInput). */
export function fromVggInput(bgr: FloatImage): FloatImage {
  const data = new Float32Array(bgr.data.length);
  const [b, g, r] = IMAGENET_MEAN_BGR;
  for (let i = 0; i < data.length; i += 3) {
    data[i] = bgr.data[i + 2] + r;
    data[i + 1] = bgr.data[i + 1] + g;
    data[i + 2] = bgr.data[i] + b;
  }
  return { width: bgr.width, height: bgr.height, data };
}

/** Float RGB → RGBA bytes: clipped to 0–255 and rounded; alpha from `alpha` (0–1 per pixel), else opaque. */
export function rgbToRgba(rgb: FloatImage, alpha?: Float32Array): RgbaImage {
  const pixels = rgb.width * rgb.height;
  const data = new Uint8ClampedArray(pixels * 4);
  // A Uint8ClampedArray store clips, and rounds half to even as tf.round did.
  for (let p = 0; p < pixels; p++) {
    data[4 * p] = rgb.data[3 * p];
    data[4 * p + 1] = rgb.data[3 * p + 1];
    data[4 * p + 2] = rgb.data[3 * p + 2];
    data[4 * p + 3] = alpha ? alpha[p] * 255 : 255;
  }
  return { width: rgb.width, height: rgb.height, data };
}
