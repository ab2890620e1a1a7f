import { resizeImage } from './resizeImage.ts';
import type { FloatImage, RgbaImage } from './types.ts';

/**
 * A mask image as weights 0–1: its luma (Rec. 601) times its alpha, so white paints and black or transparent
 * does not; a grey image and a white shape on a transparent layer both mean what they show. Kept in three
 * equal channels so that resizeImage resizes it like any image.
 */
export function maskWeights(image: RgbaImage): FloatImage {
  const data = new Float32Array(image.width * image.height * 3);
  for (let p = 0; p < image.width * image.height; p++) {
    const [r, g, b, a] = image.data.subarray(4 * p, 4 * p + 4);
    data.fill(((0.299 * r + 0.587 * g + 0.114 * b) / 255) * (a / 255), 3 * p, 3 * p + 3);
  }
  return { width: image.width, height: image.height, data };
}

/** The weights at height × width (stretched to it), one per pixel, row-major: what the engines take. */
export function maskAt(mask: FloatImage, height: number, width: number): Float32Array {
  const resized = resizeImage(mask, height, width);
  return Float32Array.from({ length: height * width }, (_, p) => Math.min(1, Math.max(0, resized.data[3 * p])));
}

/** Whether any pixel has weight above 0. */
export function maskIsEmpty(image: RgbaImage): boolean {
  const { data } = maskWeights(image);
  return !data.some((v) => v > 0);
}
