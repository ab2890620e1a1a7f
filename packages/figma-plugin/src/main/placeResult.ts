import type { MainToUiPayload, UiToMainPayload } from '../messages/messageSchemas.ts';
import { nameResult } from '@pastiche/web-bridge/naming';
import { checkResultTiles } from './checkResultTiles.ts';
import { findResultPlacement } from './findResultPlacement.ts';
import { findSelectedNode } from './findSelectedNode.ts';
import { isOnPage } from './isOnPage.ts';
import { loadPageOf } from './loadPageOf.ts';
import type { HostFrame, HostNode, PluginHost } from './host/PluginHost.ts';
import { PluginError } from './PluginError.ts';
import { rememberRunOnResult } from './rememberRunOnResult.ts';

/**
 * Puts the painted result into the document: a rectangle with the image as its fill, the content's size,
 * beside the content (see findResultPlacement), named after what it was made from, selected and in view.
 * A result above Figma's 4096 px image limit arrives in tiles and becomes a group of rectangles. A seamless
 * pattern (the Pattern setting) in one image becomes a frame whose fill repeats it (see patternFrame). A
 * texture (no content) goes beside its first style layer, at its own size in px, named "Texture × …"; it
 * keeps no record for "Stylize again" and "Refine", which start from a content.
 * Everything that can fail is checked first, and whatever was created is removed if a later step fails:
 * the document either gets the whole result or nothing.
 */
export async function placeResult(host: PluginHost, request: UiToMainPayload<'result-ready'>): Promise<MainToUiPayload<'result-placed'>> {
  const { contentId } = request.roles;
  const content = contentId ? await findSelectedNode(host, contentId, 'content') : undefined;
  const anchor = content ?? (await findSelectedNode(host, request.roles.styles[0]?.id ?? '', 'style'));
  // What the result covers: the content's box, or the texture's pixels at scale 1.
  const box = content ?? { width: request.width, height: request.height };
  const styles = [];
  for (const style of request.roles.styles) {
    const node = await host.getNodeByIdAsync(style.id);
    styles.push({ name: node?.name ?? 'Style', weight: style.weight });
  }
  for (const preset of request.presets ?? []) styles.push({ name: preset.name, weight: preset.weight });
  checkResultTiles(request);
  const images = request.tiles.map((tile, i) => {
    try {
      return host.createImage(tile.png);
    } catch (error) {
      throw new PluginError('place-failed', `Figma did not accept the result image (tile ${i + 1}): ${(error as Error)?.message ?? error}`);
    }
  });
  await loadPageOf(anchor);
  const placement = findResultPlacement(anchor, box);
  const name = nameResult(content?.name ?? 'Texture', styles);
  const scaleX = box.width / request.width;
  const scaleY = box.height / request.height;

  const created: HostNode[] = [];
  let result: HostNode;
  try {
    if (request.settings.advanced.seamless === true && images.length === 1) {
      result = patternFrame(host, placement, box, request, images[0].hash, created);
    } else {
      const rectangles = request.tiles.map((tile, i) => {
        const rectangle = host.createRectangle();
        created.push(rectangle);
        placement.container.insertChild(placement.index + i, rectangle);
        rectangle.name = request.tiles.length === 1 ? name : `Tile ${i + 1}`;
        rectangle.x = placement.x + tile.x * scaleX;
        rectangle.y = placement.y + tile.y * scaleY;
        rectangle.resize(tile.width * scaleX, tile.height * scaleY);
        rectangle.fills = [{ type: 'IMAGE', imageHash: images[i].hash, scaleMode: 'FILL' }];
        return rectangle;
      });
      result = rectangles.length === 1 ? rectangles[0] : host.group(rectangles, placement.container, placement.index);
      if (result !== rectangles[0]) created.push(result);
    }
    result.name = name;
    if (contentId) rememberRunOnResult(result, request.settings, { contentId, styles: request.roles.styles }, request.presets?.map(({ id, weight }) => ({ id, weight })));
    host.root.setRelaunchData({ open: 'Paint layers in the style of others' });
  } catch (error) {
    for (const node of created.reverse()) if (!node.removed) node.remove();
    throw new PluginError('place-failed', `The result could not be added to the document: ${(error as Error)?.message ?? error}`);
  }
  // The user may have moved to another page while the run painted: select and show it only where they are.
  // The result is in place by now, so a failure to show it is no failure of the run.
  if (isOnPage(result, host.currentPage)) {
    try {
      host.currentPage.selection = [result];
      host.viewport.scrollAndZoomIntoView([result]);
    } catch (error) {
      console.warn('Pastiche: the result was added but could not be selected:', error);
    }
  }
  return { runId: request.runId, nodeId: result.id, name, tiles: request.tiles.length };
}

/**
 * A frame of the content's size (a texture's: its own) whose image fill uses Figma's TILE scale mode, the
 * pattern at half that scale: the designer sees it repeat 2 × 2 at once, and a larger frame repeats it further
 * (the fill's scale is theirs to change in Figma's fill panel).
 */
function patternFrame(host: PluginHost, placement: ReturnType<typeof findResultPlacement>, content: { width: number; height: number }, request: UiToMainPayload<'result-ready'>, imageHash: string, created: HostNode[]): HostFrame {
  const frame = host.createFrame();
  created.push(frame);
  placement.container.insertChild(placement.index, frame);
  frame.x = placement.x;
  frame.y = placement.y;
  frame.resize(content.width, content.height);
  frame.fills = [{ type: 'IMAGE', imageHash, scaleMode: 'TILE', scalingFactor: content.width / request.width / 2 }];
  return frame;
}
