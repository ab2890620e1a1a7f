import type { RegionImage } from '../../messages/messageSchemas.ts';
import { renderRegionMask } from './renderRegionMask.ts';

/** The thumbnail of a region as the run will use it: `feather` is in output pixels, scaled down to the preview's size. */
export async function drawRegionThumbnail(preview: RegionImage, feather: number, outputSide: number): Promise<string> {
  const scale = Math.max(preview.canvas.width, preview.canvas.height) / outputSide;
  const png = await renderRegionMask(preview, feather * scale);
  return URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
}
