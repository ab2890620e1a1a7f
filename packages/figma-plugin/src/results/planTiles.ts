/** Figma refuses images larger than this on either side (figma.createImage throws). */
export const FIGMA_MAX_IMAGE_SIDE = 4096;

export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * How to cut a width × height image into the fewest tiles no side of which exceeds `maxSide`, of
 * near-equal sizes (two 3000 px tiles rather than 4096 + 1904), row by row.
 */
export function planTiles(width: number, height: number, maxSide = FIGMA_MAX_IMAGE_SIDE): TileRect[] {
  const cuts = (length: number) => {
    const count = Math.ceil(length / maxSide);
    return Array.from({ length: count }, (_, i) => {
      const start = Math.round((i * length) / count);
      return { start, size: Math.round(((i + 1) * length) / count) - start };
    });
  };
  return cuts(height).flatMap((row) => cuts(width).map((column) => ({ x: column.start, y: row.start, width: column.size, height: row.size })));
}
