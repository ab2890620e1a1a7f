import type { Transform } from '@figma/plugin-typings/plugin-api-standalone.js';

/** A point in page coordinates, seen from inside a layer with this absoluteTransform (rotation included). */
export function toLocalPoint(transform: Transform, point: { x: number; y: number }): { x: number; y: number } {
  const [[a, c, e], [b, d, f]] = transform;
  const det = a * d - b * c;
  const dx = point.x - e;
  const dy = point.y - f;
  return { x: (d * dx - c * dy) / det, y: (a * dy - b * dx) / det };
}
