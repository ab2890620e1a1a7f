import { resizeImage } from './resizeImage.ts';
import type { FloatImage } from './types.ts';

/**
 * A coarse scale's result brought to the size of `fine`, with the detail that `fine` (the content at
 * this scale) has and the coarse size cannot hold added back: fine − up(down(fine)), a Laplacian
 * pyramid level. Upsampling alone gives a blurred image whose edges the finer scale must first
 * rebuild. When the run started from the content, this is the content at full resolution plus the
 * coarse scales' change to it. Measured at 512 px after 100 evaluations at 256: the start's loss
 * 4.1M instead of 7.2M, and 253k instead of 313k after 30 evaluations. `periodic`: a seamless pattern's scales,
 * resized as patterns (resizeImage), so that no edge is made at the seam.
 */
export function upsampleWithDetail(coarse: FloatImage, fine: FloatImage, periodic = false): FloatImage {
  const { height, width } = fine;
  const blurred = resizeImage(resizeImage(fine, coarse.height, coarse.width, periodic), height, width, periodic);
  const upsampled = resizeImage(coarse, height, width, periodic);
  const data = upsampled.data;
  for (let i = 0; i < data.length; i++) data[i] += fine.data[i] - blurred.data[i];
  return { height, width, data };
}
