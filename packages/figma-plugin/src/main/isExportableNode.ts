import type { HostBaseNode, HostNode } from './host/PluginHost.ts';

/**
 * A layer we can paint from or into: on the canvas, able to export itself, and with an area (lines and
 * empty groups have none). Frames, groups, components, instances, images and shapes all qualify.
 */
export function isExportableNode(node: HostBaseNode | null | undefined): node is HostNode {
  if (!node || node.removed || !('exportAsync' in node) || !('width' in node)) return false;
  const { width, height } = node as HostNode;
  return width >= 1 && height >= 1;
}
