import type { MainToUiPayload, UiToMainPayload } from '../messages/messageSchemas.ts';
import { exportAtLongestSide } from './exportAtLongestSide.ts';
import { exportRegion } from './exportRegion.ts';
import { findSelectedNode } from './findSelectedNode.ts';
import type { PluginHost } from './host/PluginHost.ts';
import { PluginError } from './PluginError.ts';

/**
 * The PNGs of one run: the content at the output size, each style at the size the engine will use it, with its
 * region if it has one. A texture has no content (and so no regions: a region is a part of the content).
 */
export async function exportImagesForRun(host: PluginHost, request: UiToMainPayload<'export-requested'>): Promise<MainToUiPayload<'images-exported'>> {
  const { roles, contentSide, styleSide, regions } = request;
  if (roles.styles.length === 0) throw new PluginError('no-style', 'Add at least one style: select the content and one or more layers to borrow the style from.');
  if (roles.styles.some((s) => s.id === roles.contentId)) throw new PluginError('no-style', 'A layer cannot be both the content and a style.');
  const content = roles.contentId ? await findSelectedNode(host, roles.contentId, 'content') : undefined;
  const styleNodes = [];
  for (const [i, style] of roles.styles.entries()) styleNodes.push(await findSelectedNode(host, style.id, `style ${i + 1}`));

  const styles = [];
  const contentPng = content && (await exportAtLongestSide(content, contentSide));
  for (const node of styleNodes) {
    const nodeIds = regions.find((r) => r.styleId === node.id)?.nodeIds;
    const region = nodeIds && content ? await exportRegion(host, content, nodeIds, contentSide) : undefined;
    styles.push({ id: node.id, name: node.name, png: await exportAtLongestSide(node, styleSide), ...(region ? { region } : {}) });
  }
  // Refine: the result painted before, exported at the content's side (it has the content's size and place).
  const init = request.initId && (await exportAtLongestSide(await findSelectedNode(host, request.initId, 'result to refine'), contentSide));
  return { runId: request.runId, ...(content && contentPng && { content: { id: content.id, name: content.name, png: contentPng } }), styles, ...(init && { init }) };
}
