/**
 * Pastiche in Photopea: a typed client of Photopea's postMessage scripting API, the scripts it sends, and the
 * document operations built on them (read the layers, export one layer alone, add a result as a layer).
 * The plugin page itself (src/ui) and its build (src/build) use these.
 */
export { createPhotopeaClient, type PhotopeaClient, type PhotopeaClientConfig, type ScriptOutcome } from './client/createPhotopeaClient.ts';
export { PhotopeaError, PhotopeaReplyError, PhotopeaScriptError, PhotopeaTimeoutError } from './client/photopeaErrors.ts';
export type { PhotopeaScript } from './scripts/PhotopeaScript.ts';
export { listLayersScript } from './scripts/listLayersScript.ts';
export { exportLayerScript } from './scripts/exportLayerScript.ts';
export { exportSelectionScript } from './scripts/exportSelectionScript.ts';
export { exportDocumentScript } from './scripts/exportDocumentScript.ts';
export { placeImageScript, type PlacingStart } from './scripts/placeImageScript.ts';
export { finishPlacingScript, type PlacingOutcome } from './scripts/finishPlacingScript.ts';
export type { Bounds, DocumentInfo, LayerInfo, LayerPath, LayerRef } from './document/types.ts';
export { readDocument } from './document/readDocument.ts';
export { exportImage, MAX_DOCUMENT_PIXELS, type ExportedImage } from './document/exportImage.ts';
export { placeResult } from './document/placeResult.ts';
export { encodeForPlacing, MAX_PLACE_BYTES } from './document/encodeForPlacing.ts';
export { photopeaUrl, PHOTOPEA_ORIGIN, type PhotopeaPlugin } from './embed/photopeaUrl.ts';
