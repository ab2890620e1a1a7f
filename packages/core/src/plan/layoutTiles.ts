import type { VggStep } from '../vgg/architecture.ts';

/** A span of one axis: [start, end). */
export interface Span {
  start: number;
  end: number;
}

/**
 * One tile: the part of the image it reads (interior plus halo, clipped to the image; for a seamless pattern, a
 * window of the periodic image that may reach past either edge) and the interior it answers for.
 */
export interface Tile {
  rows: Span;
  columns: Span;
  interiorRows: Span;
  interiorColumns: Span;
}

export interface TileLayout {
  /** Pixels of context on each side of an interior; a multiple of `alignment`. */
  halo: number;
  /** Tile edges fall on multiples of this (2^pools), so every pooling window is the whole image's. */
  alignment: number;
  tiles: Tile[];
}

/**
 * How far an output position of the last step sees beyond its own block of pixels, in pixels: a 3×3 conv at
 * stride S reaches S further on each side; an aligned 2×2 pool stays within its block. Features of a position
 * are exact in a tile that holds this much around it.
 */
export function receptiveRadius(steps: VggStep[]): number {
  let stride = 1;
  let radius = 0;
  for (const step of steps) {
    if (step.kind === 'pool') stride *= 2;
    else radius += stride;
  }
  return radius;
}

/**
 * Splits an image into tiles whose interiors are at most `interior` pixels on a side (rounded to the
 * alignment), as equal as the alignment lets them be, and cover the image once. Interiors start on multiples of the alignment and the last one on each
 * axis ends at the image's edge. Every tile reads the same number of pixels (interior, two halos, and up to
 * an alignment more so that a read ending at the image's edge starts on a multiple of it): one static graph
 * serves them all. A read ending inside the image may cut a pooling window short; that window lies in the
 * halo, beyond the reach of the interior's features.
 */
export function layoutTiles(steps: VggStep[], height: number, width: number, interior: number, wrap = false): TileLayout {
  const alignment = 2 ** steps.filter((s) => s.kind === 'pool').length;
  // At least one pixel: the TV term's differences at an interior's edge read the next row and column.
  const halo = Math.ceil(Math.max(1, receptiveRadius(steps)) / alignment) * alignment;
  const side = Math.max(alignment, Math.floor(interior / alignment) * alignment);
  const split = wrap ? splitPeriodicAxis : splitAxis;
  const rows = split(height, side, halo, alignment);
  const columns = split(width, side, halo, alignment);
  const tiles = rows.flatMap((r) => columns.map((c) => ({ rows: r.read, columns: c.read, interiorRows: r.interior, interiorColumns: c.interior })));
  return { halo, alignment, tiles };
}

/** Interiors of at most `maxSide`, each with the read of one common length around it. */
function splitAxis(length: number, maxSide: number, halo: number, alignment: number): Array<{ interior: Span; read: Span }> {
  if (maxSide >= length) return [{ interior: { start: 0, end: length }, read: { start: 0, end: length } }];
  // As few interiors as `maxSide` allows, of equal sides: a short last one would read as much as the others.
  const count = Math.ceil(length / maxSide);
  const side = Math.ceil(length / count / alignment) * alignment;
  const extent = side + 2 * halo + ((((length - side - 2 * halo) % alignment) + alignment) % alignment);
  if (extent >= length) return [{ interior: { start: 0, end: length }, read: { start: 0, end: length } }];
  return Array.from({ length: count }, (_, i) => {
    const interior = { start: i * side, end: i === count - 1 ? length : (i + 1) * side };
    const start = Math.min(Math.max(0, interior.start - halo), length - extent);
    return { interior, read: { start, end: start + extent } };
  });
}

/**
 * A seamless pattern's axis (its length a multiple of the alignment): the image is one period, so every
 * interior has its halo on both sides, read across the edge, even where one interior spans the whole axis
 * (the other axis may be split). Equal interiors but the last, each read `side + 2·halo` long.
 */
function splitPeriodicAxis(length: number, maxSide: number, halo: number, alignment: number): Array<{ interior: Span; read: Span }> {
  const side = Math.min(length, Math.ceil(length / Math.ceil(length / maxSide) / alignment) * alignment);
  const count = Math.ceil(length / side);
  return Array.from({ length: count }, (_, i) => {
    const interior = { start: i * side, end: Math.min(length, (i + 1) * side) };
    return { interior, read: { start: interior.start - halo, end: interior.start - halo + side + 2 * halo } };
  });
}
