import { describeSelection } from './describeSelection.ts';
import { emitToUi } from './emitToUi.ts';
import { exportThumbnail } from './exportThumbnail.ts';
import type { PluginHost } from './host/PluginHost.ts';
import { isExportableNode } from './isExportableNode.ts';

let generation = 0;

/**
 * Tells the UI what is selected at once, then sends thumbnails one by one; a newer selection stops the
 * older one's thumbnails, so quick clicking never floods the UI with stale images.
 */
export async function sendSelection(host: PluginHost): Promise<void> {
  const mine = ++generation;
  const selection = host.currentPage.selection;
  emitToUi(host, 'selection-changed', describeSelection(selection));
  for (const node of selection.filter(isExportableNode)) {
    const png = await exportThumbnail(node);
    if (mine !== generation) return;
    if (png) emitToUi(host, 'thumbnail-exported', { id: node.id, png });
  }
}
