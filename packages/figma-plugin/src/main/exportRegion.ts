import type { RegionImage } from '../messages/messageSchemas.ts';
import { MAX_EXPORT_SIDE } from './exportAtLongestSide.ts';
import type { HostNode, PluginHost } from './host/PluginHost.ts';
import { findSelectedNode } from './findSelectedNode.ts';
import { PluginError } from './PluginError.ts';

/**
 * A style's region at the content's size and position: the canvas is the content exported with its longest
 * side `contentSide` px, and each region layer is exported alone at the same scale (its full box, so its
 * position is known) with where it sits on that canvas. The UI turns the layers' alpha into the mask.
 * A layer that does not overlap the content is refused in plain words: it would paint nothing.
 */
export async function exportRegion(host: PluginHost, content: HostNode, nodeIds: readonly string[], contentSide: number): Promise<RegionImage> {
  const scale = contentSide / Math.max(content.width, content.height);
  const canvas = { width: Math.max(1, Math.round(content.width * scale)), height: Math.max(1, Math.round(content.height * scale)) };
  const contentBox = boxOf(content);
  const pieces = [];
  for (const id of nodeIds) {
    const node = await findSelectedNode(host, id, 'region');
    const box = boxOf(node);
    const overlaps = box.x < contentBox.x + contentBox.width && box.x + box.width > contentBox.x && box.y < contentBox.y + contentBox.height && box.y + box.height > contentBox.y;
    if (!overlaps) throw new PluginError('region-outside', `The region “${node.name}” does not overlap the content “${content.name}”. Draw it over the content.`);
    if (Math.max(box.width, box.height) * scale > MAX_EXPORT_SIDE) {
      throw new PluginError('node-too-large', `The region “${node.name}” is much larger than the content; draw it no larger than the content.`);
    }
    let png: Uint8Array;
    try {
      png = await node.exportAsync({ format: 'PNG', constraint: { type: 'SCALE', value: scale }, useAbsoluteBounds: true });
    } catch (error) {
      throw new PluginError('export-failed', `Figma could not export the region “${node.name}” (${(error as Error)?.message ?? String(error)}).`);
    }
    pieces.push({ png, x: (box.x - contentBox.x) * scale, y: (box.y - contentBox.y) * scale, width: box.width * scale, height: box.height * scale });
  }
  return { canvas, pieces };
}

/** Where the layer is on the page (its box, rotation included); a layer without one is placed by its transform. */
function boxOf(node: HostNode): { x: number; y: number; width: number; height: number } {
  if (node.absoluteBoundingBox) return node.absoluteBoundingBox;
  const [[, , x], [, , y]] = node.absoluteTransform;
  return { x, y, width: node.width, height: node.height };
}
