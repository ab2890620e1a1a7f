import type { HostNode } from './host/PluginHost.ts';

/** Thumbnails are shown at 40 px; twice that stays sharp on high-density screens. */
export const THUMBNAIL_SIDE = 80;

/** A small PNG for the UI's layer list; undefined when Figma cannot export the layer (the list shows a placeholder). */
export async function exportThumbnail(node: HostNode): Promise<Uint8Array | undefined> {
  try {
    return await node.exportAsync({ format: 'PNG', constraint: { type: node.width >= node.height ? 'WIDTH' : 'HEIGHT', value: THUMBNAIL_SIDE } });
  } catch {
    return undefined;
  }
}
