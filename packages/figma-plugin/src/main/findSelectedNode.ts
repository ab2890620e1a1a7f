import type { HostNode, PluginHost } from './host/PluginHost.ts';
import { isExportableNode } from './isExportableNode.ts';
import { PluginError } from './PluginError.ts';

/** The layer with this id, if it is still on the canvas and exportable; a plain-words error otherwise. */
export async function findSelectedNode(host: PluginHost, id: string, role: string): Promise<HostNode> {
  const node = await host.getNodeByIdAsync(id);
  if (!isExportableNode(node)) {
    throw new PluginError('node-missing', `The ${role} layer${node ? ` “${node.name}”` : ''} is no longer in the document or has no area. Select it again.`);
  }
  return node;
}
