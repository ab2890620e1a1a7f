import type { Bounds } from './types.ts';

/** `bounds` inside a width × height canvas, whole pixels; null when nothing of it is inside. */
export function clipToCanvas(bounds: Bounds, width: number, height: number): Bounds | null {
  const left = Math.max(0, Math.floor(bounds[0]));
  const top = Math.max(0, Math.floor(bounds[1]));
  const right = Math.min(width, Math.ceil(bounds[2]));
  const bottom = Math.min(height, Math.ceil(bounds[3]));
  return right > left && bottom > top ? [left, top, right, bottom] : null;
}
