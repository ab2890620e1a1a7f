import type { Roles } from '../messages/messageSchemas.ts';
import type { HostNode, PluginHost } from './host/PluginHost.ts';
import { isExportableNode } from './isExportableNode.ts';

/**
 * Selects the content and styles a result was made from, content first, so the panel opens as it was.
 * Layers deleted since are skipped; without the content, the selection is left alone.
 */
export async function selectRecordedLayers(host: PluginHost, roles: Roles): Promise<boolean> {
  const nodes: HostNode[] = [];
  for (const id of [roles.contentId, ...roles.styles.map((s) => s.id)]) {
    const node = await host.getNodeByIdAsync(id);
    if (isExportableNode(node)) nodes.push(node);
    else if (id === roles.contentId) return false;
  }
  host.currentPage.selection = nodes;
  return true;
}
