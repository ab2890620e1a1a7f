import type { LayerRef } from '../document/types.ts';
import { defineTemplate } from './PhotopeaScript.ts';
import { readNumber, readObject, readRef } from './readReply.ts';

export interface PlacingStart {
  /** Layers in the document before (groups' contents included): one more means the image is in. */
  count: number;
  /** The layer that was active, to make active again afterwards. */
  active: LayerRef | null;
}

/**
 * Starts adding an image as a new layer of the document: `app.open(url, null, true)` places an image into
 * the current document as a smart object (https://www.photopea.com/learn/scripts), above the active layer
 * and inside its group (photopea/photopea#7072), so the anchor is made active first. An ArrayBuffer sent
 * to Photopea would open as a separate document instead (the maintainer in photopea/photopea#4804). The
 * layer arrives after "done" (photopea/photopea#6137): finishPlacingScript waits for it and puts it right.
 * `anchor` null: the top of the document.
 */
export const placeImageScript = /* @__PURE__ */ defineTemplate<{ document: string; anchor: LayerRef | null; url: string }, PlacingStart>({
  what: 'add the layer',
  timeoutMs: 60_000,
  body: `
    var doc = __doc(args.document);
    var anchor = args.anchor ? __at(doc, args.anchor, null) : (doc.layers.length ? doc.layers[0] : null);
    var active = null;
    try { active = __ref(doc, doc.activeLayer); } catch (e) {}
    var start = { count: __count(doc), active: active };
    if (anchor) doc.activeLayer = anchor;
    app.open(args.url, null, true);
    return start;`,
  read(value) {
    const reply = readObject(value, 'reply');
    return { count: readNumber(reply.count, 'count'), active: reply.active === null ? null : readRef(reply.active, 'active') };
  },
});
