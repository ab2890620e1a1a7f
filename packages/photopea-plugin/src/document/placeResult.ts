import type { PhotopeaClient } from '../client/createPhotopeaClient.ts';
import { PhotopeaError } from '../client/photopeaErrors.ts';
import { finishPlacingScript } from '../scripts/finishPlacingScript.ts';
import { placeImageScript } from '../scripts/placeImageScript.ts';
import type { Bounds, LayerRef } from './types.ts';

/** How long a placed image may take to show up (Photopea decodes the data URL after "done"). */
const PLACE_WAIT_MS = 30_000;
const POLL_MS = 100;

/**
 * Adds the image at `url` as a new layer named `name`, right above `anchor` (null: the top of the
 * document), scaled and moved onto `bounds`, with the active layer as it was. Resolves when it is in.
 */
export async function placeResult(client: PhotopeaClient, args: { document: string; anchor: LayerRef | null; url: string; name: string; bounds: Bounds }): Promise<{ layer: LayerRef | null; selectionCleared: boolean }> {
  const { document, anchor, url, name, bounds } = args;
  const { value: start } = await client.run(placeImageScript({ document, anchor, url }));
  const deadline = Date.now() + PLACE_WAIT_MS;
  while (Date.now() < deadline) {
    const { value } = await client.run(finishPlacingScript({ document, start, anchor, name, bounds }));
    if (value.placed) return { layer: value.layer, selectionCleared: value.selectionCleared };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new PhotopeaError(`Photopea did not add the layer within ${PLACE_WAIT_MS / 1000} s.`, 'add the layer');
}
