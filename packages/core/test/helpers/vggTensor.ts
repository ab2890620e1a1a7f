import type * as tf from '@tensorflow/tfjs-core';
import { resizeImage, rgbaToRgb, toVggInput, vggImageTensor, type RgbaImage } from '../../src/index.ts';

/** An RGBA image as the tfjs network takes it, optionally resized first: VGG input, [1, h, w, 3]. */
export function vggTensor(image: RgbaImage, height?: number, width?: number): tf.Tensor4D {
  const rgb = rgbaToRgb(image);
  return vggImageTensor(toVggInput(height && width ? resizeImage(rgb, height, width) : rgb));
}
