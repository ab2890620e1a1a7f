import type { HostNode } from './host/PluginHost.ts';
import { PluginError } from './PluginError.ts';

/** Figma exports fail or exhaust memory well before this; the engines never need more. */
export const MAX_EXPORT_SIDE = 8192;

/**
 * A PNG of the node whose longest side is `side` px: a WIDTH or HEIGHT constraint gives that size exactly,
 * whatever the node's size on the canvas, so a tiny icon and a huge frame both come out at the output size.
 */
export async function exportAtLongestSide(node: HostNode, side: number): Promise<Uint8Array> {
  if (side > MAX_EXPORT_SIDE) {
    throw new PluginError('node-too-large', `“${node.name}” would have to be exported at ${side} px; the most is ${MAX_EXPORT_SIDE} px. Choose a smaller size.`);
  }
  const shortSide = Math.round((side * Math.min(node.width, node.height)) / Math.max(node.width, node.height));
  if (shortSide < 1) {
    throw new PluginError('node-too-large', `“${node.name}” is too thin (${Math.round(node.width)} × ${Math.round(node.height)}) to export at ${side} px.`);
  }
  try {
    return await node.exportAsync({
      format: 'PNG',
      constraint: { type: node.width >= node.height ? 'WIDTH' : 'HEIGHT', value: side },
    });
  } catch (error) {
    throw new PluginError('export-failed', `Figma could not export “${node.name}” (${(error as Error)?.message ?? String(error)}). Try a smaller preset or a simpler layer.`);
  }
}
