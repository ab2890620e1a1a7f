import type { SceneNode } from '@figma/plugin-typings/plugin-api-standalone.js';
import type { HostNode, HostParent } from './host/PluginHost.ts';
import { PluginError } from './PluginError.ts';
import { findFreeSpot, type Box } from './findFreeSpot.ts';
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
 * Where the result goes: beside the content (a texture: beside its first style, at `size`), where nothing is (see findFreeSpot: the first free spot to the
 * right, then below), in the nearest container that takes a new layer without changing anything else. That
 * is the content's own parent when it is the page, a section or a plain frame with such a spot; otherwise
 * the search climbs, because
 * - an auto-layout frame would reflow its children around the new layer,
 * - a group or boolean operation would change its own bounds or shape,
 * - a component or anything inside an instance would change every instance (or refuse the layer),
 * - a frame with no free spot of that size would clip the result or cover its other layers.
 * The container's layers are the neighbours the result must not cover (the one holding the content
 * included: an auto-layout row, a group). Positions are computed in absolute coordinates and converted to
 * the container's, so climbing keeps the result where it belongs visually.
 */
export function findResultPlacement(content: HostNode, size: { width: number; height: number } = content): ResultPlacement {
  const near = absoluteBox(content);
  let childId = content.id;
  for (let parent = content.parent; parent; childId = parent.id, parent = parent.parent) {
    if (!takesNewLayers(parent)) continue;
    const spot = findFreeSpot(near, { width: size.width, height: size.height }, parent.children.map(absoluteBox), RESULT_GAP, hasBox(parent) ? absoluteBox(parent) : undefined);
    if (!spot) continue;
    const local = hasBox(parent) ? toLocalPoint(parent.absoluteTransform, spot) : spot;
    const index = parent.children.findIndex((c) => c.id === childId) + 1;
    return { container: parent, index, x: local.x, y: local.y };
  }
  throw new PluginError('place-failed', `“${content.name}” is not on a page, so the result has nowhere to go.`);
}

/** A layer's box on the page (rotation is not undone: a rotated layer's box is where it starts). */
function absoluteBox(node: Pick<SceneNode, 'width' | 'height' | 'absoluteTransform'>): Box {
  const [[, , x], [, , y]] = node.absoluteTransform;
  return { x, y, width: node.width, height: node.height };
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


