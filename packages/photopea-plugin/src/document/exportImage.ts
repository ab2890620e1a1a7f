import type { PhotopeaClient } from '../client/createPhotopeaClient.ts';
import { PhotopeaError } from '../client/photopeaErrors.ts';
import { exportDocumentScript } from '../scripts/exportDocumentScript.ts';
import { exportLayerScript } from '../scripts/exportLayerScript.ts';
import { clipToCanvas } from './clipToCanvas.ts';
import { cropAndFit, type FittedImage } from './cropAndFit.ts';
import type { Bounds, DocumentInfo, LayerRef } from './types.ts';

/**
 * Above this many pixels a document is not exported: every export is a PNG of the whole canvas, decoded
 * here at full size (4 bytes a pixel) before it is cropped; 100 MP is 400 MB, near what a tab can hold.
 */
export const MAX_DOCUMENT_PIXELS = 100_000_000;

export interface ExportedImage extends FittedImage {
  /** Where the image sits in the document (the layer's bounds within the canvas). */
  region: Bounds;
}

/**
 * One layer alone (`layer`), or the whole document (null), as a PNG at most `maxSide` px, without changing
 * the document (see exportLayerScript). `label` names it in errors. `within`: that region of the document
 * instead of the layer's bounds (a result to refine, taken where its content lies, at the content's size).
 */
export async function exportImage(client: PhotopeaClient, doc: DocumentInfo, layer: LayerRef | null, maxSide: number, label: string, within?: Bounds): Promise<ExportedImage> {
  const pixels = doc.width * doc.height;
  if (pixels > MAX_DOCUMENT_PIXELS) {
    throw new PhotopeaError(
      `“${doc.name}” is ${doc.width} × ${doc.height} px (${Math.round(pixels / 1e6)} MP): Pastiche reads layers of documents up to ${MAX_DOCUMENT_PIXELS / 1e6} MP. Stylize a smaller copy (Image › Image Size).`,
      'export a layer',
    );
  }
  const { value, buffers } = layer
    ? await client.run(exportLayerScript({ document: doc.name, layer }))
    : await client.run(exportDocumentScript({ document: doc.name })).then(({ value: v, buffers: b }) => ({ value: { bounds: [0, 0, v.width, v.height] as Bounds }, buffers: b }));
  const region = within ?? clipToCanvas(value.bounds, doc.width, doc.height);
  if (!region) throw new PhotopeaError(`${label} has no pixels inside the canvas.`, 'export a layer');
  return { ...(await cropAndFit(buffers[0], doc, region, maxSide)), region };
}
