import type { RegionImage } from '../../messages/messageSchemas.ts';
import { featherMask } from './featherMask.ts';

/**
 * The mask the engine takes for a style (white paints, black does not): the region's layers drawn where they
 * sit on the content-sized canvas, white wherever they cover (their alpha, whatever their colours), then the
 * edge feathered by `feather` px of this canvas. A PNG of the canvas's size.
 */
export async function renderRegionMask(region: RegionImage, feather: number): Promise<Uint8Array> {
  const { width, height } = region.canvas;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  for (const piece of region.pieces) {
    const bitmap = await createImageBitmap(new Blob([piece.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
    context.drawImage(bitmap, piece.x, piece.y, piece.width, piece.height);
    bitmap.close();
  }
  const image = context.getImageData(0, 0, width, height);
  const coverage = new Uint8ClampedArray(width * height);
  for (let i = 0; i < coverage.length; i++) coverage[i] = image.data[i * 4 + 3];
  const feathered = featherMask(coverage, width, height, feather);
  for (let i = 0; i < feathered.length; i++) image.data.set([feathered[i], feathered[i], feathered[i], 255], i * 4);
  context.putImageData(image, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}
