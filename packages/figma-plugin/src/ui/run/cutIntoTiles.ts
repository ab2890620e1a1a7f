import type { Tile } from '../../messages/messageSchemas.ts';
import { FIGMA_MAX_IMAGE_SIDE, planTiles } from '../../results/planTiles.ts';

/**
 * The result as Figma can take it: one PNG when it fits the 4096 px image limit (the usual case: no
 * decoding), else decoded once and cut into PNG tiles that each fit.
 */
export async function cutIntoTiles(result: { png: Uint8Array; width: number; height: number }, maxSide = FIGMA_MAX_IMAGE_SIDE): Promise<Tile[]> {
  const { png, width, height } = result;
  if (width <= maxSide && height <= maxSide) return [{ png, x: 0, y: 0, width, height }];
  const bitmap = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
  try {
    const tiles: Tile[] = [];
    for (const rect of planTiles(width, height, maxSide)) {
      const canvas = new OffscreenCanvas(rect.width, rect.height);
      canvas.getContext('2d')!.drawImage(bitmap, -rect.x, -rect.y);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      tiles.push({ ...rect, png: new Uint8Array(await blob.arrayBuffer()) });
    }
    return tiles;
  } finally {
    bitmap.close();
  }
}
