import { PasticheInputError, type RgbaImage } from '@pastiche/core';
import type { EncodedImage } from '../types.ts';

/**
 * The host's image file as RGBA, shrunk (never enlarged) to fit `maxSide`: the engine works at that size
 * anyway, and a 6000 px export decoded whole would cost the GPU memory the run needs. `field` names the
 * image in errors (content, styles[1]).
 */
export async function decodeImage(image: EncodedImage, maxSide: number, field: string): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([image.bytes as BlobPart], { type: image.mime ?? '' }));
  } catch (error) {
    throw new PasticheInputError(field, `not an image this browser can read (PNG, JPEG, WebP): ${(error as Error).message}`);
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const context = new OffscreenCanvas(width, height).getContext('2d')!;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { width, height, data: context.getImageData(0, 0, width, height).data };
}
