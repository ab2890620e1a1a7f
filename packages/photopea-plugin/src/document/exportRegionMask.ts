import type { PhotopeaClient } from '../client/createPhotopeaClient.ts';
import { exportLayerScript } from '../scripts/exportLayerScript.ts';
import { exportSelectionScript } from '../scripts/exportSelectionScript.ts';
import { RunProblem } from '../run/RunProblem.ts';
import type { RegionSource } from '../ui/PanelState.ts';
import { alphaToMask } from './alphaToMask.ts';
import { cropAndFit } from './cropAndFit.ts';
import type { Bounds, DocumentInfo } from './types.ts';

/**
 * A style's region as its mask, at the content's size and position: the selection or the layer exported
 * over the whole canvas, cut to the content's region and scaled exactly as the content was (same region,
 * same `maxSide`), white where it covers. A region that misses the content is refused in plain words.
 */
export async function exportRegionMask(client: PhotopeaClient, doc: DocumentInfo, source: RegionSource, contentRegion: Bounds, maxSide: number, styleLabel: string): Promise<Uint8Array> {
  const { buffers } = source.kind === 'selection'
    ? await client.run(exportSelectionScript({ document: doc.name }))
    : await client.run(exportLayerScript({ document: doc.name, layer: source.layer }));
  const cut = await cropAndFit(buffers[0], doc, contentRegion, maxSide);
  const mask = await alphaToMask(cut.png);
  if (!mask) {
    const what = source.kind === 'selection' ? 'The selection' : `The layer “${source.layer.name}”`;
    throw new RunProblem(`${what}, the region of ${styleLabel}, does not overlap the content: the style would paint nothing.`, 'Choose a region over the content, or Everywhere.');
  }
  return mask;
}
