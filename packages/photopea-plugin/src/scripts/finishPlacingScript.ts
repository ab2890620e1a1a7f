import type { Bounds, LayerRef } from '../document/types.ts';
import type { PlacingStart } from './placeImageScript.ts';
import { defineTemplate } from './PhotopeaScript.ts';
import { readBoolean, readBounds, readObject, readRef } from './readReply.ts';

export type PlacingOutcome = { placed: false } | { placed: true; layer: LayerRef | null; bounds: Bounds; selectionCleared: boolean };

/**
 * Once the placed image is in (one layer more than before; app.open makes it the active layer): moves it
 * right above the anchor, scales and moves it onto `bounds`, names it, and makes the previously active
 * layer active again. Answers `placed: false` while the image is still loading. Paths read before the
 * image came are resolved without it (`__at`'s skip). A selection is dropped first: with one, Photopea
 * moves only the selected pixels (stable-diffusion-ps-pea deselects before its translate for that reason).
 */
export const finishPlacingScript = /* @__PURE__ */ defineTemplate<{ document: string; start: PlacingStart; anchor: LayerRef | null; name: string; bounds: Bounds }, PlacingOutcome>({
  what: 'finish adding the layer',
  timeoutMs: 10_000,
  body: `
    var doc = __doc(args.document);
    if (__count(doc) <= args.start.count) return { placed: false };
    var layer = doc.activeLayer;
    var previous = null, anchor = null;
    try { previous = args.start.active ? __at(doc, args.start.active, layer) : null; } catch (e) {}
    try { anchor = args.anchor ? __at(doc, args.anchor, layer) : __list(doc, layer)[0]; } catch (e) {}
    if (anchor) layer.move(anchor, ElementPlacement.PLACEBEFORE);
    var selectionCleared = false, selection = null;
    try { selection = doc.selection.bounds; } catch (e) {}
    if (selection) { doc.selection.deselect(); selectionCleared = true; }
    var want = args.bounds, b = __bounds(layer);
    var width = want[2] - want[0], height = want[3] - want[1];
    if (Math.abs(b[2] - b[0] - width) > 0.5 || Math.abs(b[3] - b[1] - height) > 0.5)
      layer.resize(width / (b[2] - b[0]) * 100, height / (b[3] - b[1]) * 100, AnchorPosition.TOPLEFT);
    b = __bounds(layer);
    if (Math.abs(b[0] - want[0]) > 0.5 || Math.abs(b[1] - want[1]) > 0.5) layer.translate(want[0] - b[0], want[1] - b[1]);
    layer.name = args.name;
    if (previous) doc.activeLayer = previous;
    return { placed: true, layer: __ref(doc, layer), bounds: __bounds(layer), selectionCleared: selectionCleared };`,
  read(value) {
    const reply = readObject(value, 'reply');
    if (!readBoolean(reply.placed, 'placed')) return { placed: false };
    return {
      placed: true,
      layer: reply.layer === null ? null : readRef(reply.layer, 'layer'),
      bounds: readBounds(reply.bounds, 'bounds'),
      selectionCleared: readBoolean(reply.selectionCleared, 'selectionCleared'),
    };
  },
});
