import { maskIsEmpty, type RgbaImage } from '@pastiche/core';
import { maskCellWeights } from './maskCellWeights.ts';
import { decodeJobImage, type ImageLimits } from './decodeJobImage.ts';

/**
 * Decodes an uploaded mask as decodeJobImage decodes an image, shrunk to `fitSide`, without losing its regions:
 * where the shrink to 8 bits rounds every weight to 0 (one white pixel of a 2048 px mask, decoded at 64 px),
 * the mask is read again at full resolution and each pixel of the result gets the mean weight under it,
 * rounded up to the least an 8-bit mask holds. So a mask comes back empty (and validateRequest refuses it)
 * only when no pixel of it has any weight.
 */
export async function decodeJobMask(source: Uint8Array | string, field: string, limits: ImageLimits, fitSide: number): Promise<RgbaImage> {
  const mask = await decodeJobImage(source, field, limits, fitSide);
  if (!maskIsEmpty(mask)) return mask;
  const cells = await maskCellWeights(source, mask.width, mask.height);
  const data = new Uint8Array(mask.width * mask.height * 4);
  cells.forEach((weight, p) => {
    data.fill(Math.ceil(weight * 255), 4 * p, 4 * p + 3);
    data[4 * p + 3] = 255;
  });
  return { width: mask.width, height: mask.height, data };
}
