import { LAYER_NAME_MAX, type MainToUiPayload } from '../messages/messageSchemas.ts';
import type { HostNode } from './host/PluginHost.ts';
import { isExportableNode } from './isExportableNode.ts';
import { isPlainShape } from './isPlainShape.ts';

/** The selection as the UI shows it: exportable layers in selection order, and how many others were left out. */
export function describeSelection(selection: ReadonlyArray<HostNode>): MainToUiPayload<'selection-changed'> {
  const nodes = selection.filter(isExportableNode);
  return {
    nodes: nodes.map((node) => ({ id: node.id, name: shortenName(node.name), kind: node.type, width: node.width, height: node.height, shape: isPlainShape(node) })),
    ignored: selection.length - nodes.length,
  };
}

/** Layer names have no length limit in Figma; the message allows LAYER_NAME_MAX characters (the panel shows far fewer). */
function shortenName(name: string): string {
  return name.length > LAYER_NAME_MAX ? `${name.slice(0, LAYER_NAME_MAX - 1)}…` : name;
}
