import type { SceneNode } from '@figma/plugin-typings/plugin-api-standalone.js';
import type { HostNode, HostParent } from './host/PluginHost.ts';
import { PluginError } from './PluginError.ts';
import { toLocalPoint } from './toLocalPoint.ts';

/** Space between the content and its result, as Figma's own duplicate-and-move leaves it. */
export const RESULT_GAP = 40;

export interface ResultPlacement {
  container: HostParent;
  /** Index in container.children: right above the layer that holds the content. */
  index: number;
  x: number;
  y: number;
}

type Boxed = HostParent & Pick<SceneNode, 'width' | 'height' | 'absoluteTransform'>;

/**
 * Where the result goes: to the right of the content, top-aligned, in the nearest container that takes a
 * new layer without changing anything else. That is the content's own parent when it is the page, a
 * section or a plain frame that has room; otherwise the search climbs, because
 * - an auto-layout frame would reflow its children around the new layer,
 * - a group or boolean operation would change its own bounds or shape,
 * - a component or anything inside an instance would change every instance (or refuse the layer),
 * - a frame too small to show the result at that spot would clip it.
 * Positions are computed in absolute coordinates and converted to the container's, so climbing keeps the
 * result where it belongs visually.
 */
export function findResultPlacement(content: HostNode): ResultPlacement {
  const [[, , left], [, , top]] = content.absoluteTransform;
  const target = { x: left + content.width + RESULT_GAP, y: top, width: content.width, height: content.height };
  let childId = content.id;
  for (let parent = content.parent; parent; childId = parent.id, parent = parent.parent) {
    if (!takesNewLayers(parent)) continue;
    const local = hasBox(parent) ? toLocalPoint(parent.absoluteTransform, target) : target;
    if (hasBox(parent) && !fitsInside(parent, { ...local, width: target.width, height: target.height })) continue;
    const index = parent.children.findIndex((c) => c.id === childId) + 1;
    return { container: parent, index, x: local.x, y: local.y };
  }
  throw new PluginError('place-failed', `“${content.name}” is not on a page, so the result has nowhere to go.`);
}

function takesNewLayers(node: HostParent): boolean {
  for (let ancestor: HostParent | null = node; ancestor; ancestor = ancestor.parent) {
    if (ancestor.type === 'INSTANCE' || ancestor.type === 'COMPONENT' || ancestor.type === 'COMPONENT_SET') return false;
  }
  if (node.type === 'PAGE' || node.type === 'SECTION') return true;
  return node.type === 'FRAME' && (node as { layoutMode?: string }).layoutMode === 'NONE';
}

function hasBox(node: HostParent): node is Boxed {
  return node.type !== 'PAGE' && 'absoluteTransform' in node;
}

function fitsInside(box: Boxed, rect: { x: number; y: number; width: number; height: number }): boolean {
  return rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= box.width && rect.y + rect.height <= box.height;
}

