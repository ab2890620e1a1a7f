import type { Paint } from '@figma/plugin-typings/plugin-api-standalone.js';
import type { HostNode } from './host/PluginHost.ts';

const SHAPE_TYPES = new Set(['VECTOR', 'ELLIPSE', 'POLYGON', 'STAR', 'LINE', 'BOOLEAN_OPERATION']);

/**
 * A shape drawn to mark an area rather than a picture to borrow a style from: vectors, ellipses, polygons,
 * stars, boolean operations, and rectangles without an image fill (Figma's images are rectangles with one).
 */
export function isPlainShape(node: HostNode): boolean {
  if (SHAPE_TYPES.has(node.type)) return true;
  if (node.type !== 'RECTANGLE') return false;
  const fills = (node as { fills?: ReadonlyArray<Paint> | symbol }).fills;
  return Array.isArray(fills) && !fills.some((paint: Paint) => paint.type === 'IMAGE');
}
