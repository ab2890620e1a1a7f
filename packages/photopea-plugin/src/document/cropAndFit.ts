import type { Bounds } from './types.ts';

export interface FittedImage {
  png: Uint8Array;
  width: number;
  height: number;
}

/**
 * The `region` of an exported canvas (document pixels; the PNG may be another size, it is scaled to match),
 * shrunk — never enlarged — so that its longest side is at most `maxSide`: the engine paints at that size
 * anyway, and the runner refuses images above its limit. One decode, one draw, one PNG.
 */
export async function cropAndFit(png: ArrayBuffer, canvas: { width: number; height: number }, region: Bounds, maxSide: number): Promise<FittedImage> {
  const bitmap = await createImageBitmap(new Blob([png], { type: 'image/png' }));
  try {
    const sx = bitmap.width / canvas.width;
    const sy = bitmap.height / canvas.height;
    const [left, top, right, bottom] = region;
    const cropWidth = (right - left) * sx;
    const cropHeight = (bottom - top) * sy;
    const scale = Math.min(1, maxSide / Math.max(cropWidth, cropHeight));
    const width = Math.max(1, Math.round(cropWidth * scale));
    const height = Math.max(1, Math.round(cropHeight * scale));
    const out = new OffscreenCanvas(width, height);
    const context = out.getContext('2d')!;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, left * sx, top * sy, cropWidth, cropHeight, 0, 0, width, height);
    const blob = await out.convertToBlob({ type: 'image/png' });
    return { png: new Uint8Array(await blob.arrayBuffer()), width, height };
  } finally {
    bitmap.close();
  }
}
