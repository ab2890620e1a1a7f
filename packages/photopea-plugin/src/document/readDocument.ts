import type { PhotopeaClient } from '../client/createPhotopeaClient.ts';
import { listLayersScript } from '../scripts/listLayersScript.ts';
import type { DocumentInfo } from './types.ts';

/** The active document and its layers, or null when Photopea has no document open. */
export async function readDocument(client: PhotopeaClient): Promise<DocumentInfo | null> {
  return (await client.run(listLayersScript({}))).value;
}
