import type { PhotopeaClient } from '../client/createPhotopeaClient.ts';
import { readDocument } from '../document/readDocument.ts';
import type { DocumentInfo } from '../document/types.ts';
import type { Store } from '@pastiche/web-bridge/ui';
import type { PanelState } from './PanelState.ts';
import { findLayer, reconcileRoles } from './roles.ts';

/**
 * Reads the active document again into the panel: the layer list, and the roles following layers that
 * moved (Photopea tells a plugin nothing when the user edits, so the panel asks). Null: none is open.
 */
export async function refreshDocument(store: Store<PanelState>, client: PhotopeaClient): Promise<DocumentInfo | null> {
  const doc = await readDocument(client);
  if (!doc) {
    store.update({ document: { status: 'no-document' } });
    return null;
  }
  const { lastDocument, roles, refine } = store.get();
  // The result being refined follows its layer, as the roles do; another document drops it.
  const refined = refine && lastDocument?.name === doc.name ? (findLayer(doc, refine) ?? null) : null;
  store.update({ document: { status: 'ready', doc }, lastDocument: doc, roles: reconcileRoles(roles, doc, lastDocument), refine: refined });
  return doc;
}
