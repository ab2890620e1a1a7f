import { defineTemplate } from './PhotopeaScript.ts';
import { readNumber, readObject } from './readReply.ts';

/**
 * The selection as an image of the whole canvas: white where selected (as opaque as the selection is
 * soft), transparent elsewhere. A scripting DOM has no way to read a selection's pixels, so a temporary
 * layer is added on top, the selection filled white into it, the document exported with only that layer
 * showing (saveToOE), and everything put back: the layer deleted, every eye and the active layer as they
 * were, the selection kept. Fails with `no-selection` when nothing is selected.
 */
export const exportSelectionScript = /* @__PURE__ */ defineTemplate<{ document: string }, { width: number; height: number }>({
  what: 'export the selection',
  buffers: 1,
  timeoutMs: 60_000,
  body: `
    var doc = __doc(args.document);
    var selected = null;
    try { selected = doc.selection.bounds; } catch (e) {}
    if (!selected) throw __fail("no-selection", "Nothing is selected in Photopea.");
    var previous = doc.activeLayer;
    var changed = [];
    function show(layer, visible) {
      if (!!layer.visible === visible) return;
      changed.push({ layer: layer, visible: layer.visible });
      layer.visible = visible;
    }
    var layer = doc.artLayers.add();
    try {
      if (doc.layers[0] != layer) layer.move(doc.layers[0], ElementPlacement.PLACEBEFORE);
      for (var i = 0; i < doc.layers.length; i++) if (doc.layers[i] != layer) show(doc.layers[i], false);
      var white = new SolidColor();
      white.rgb.red = 255; white.rgb.green = 255; white.rgb.blue = 255;
      doc.selection.fill(white);
      doc.saveToOE("png");
    } finally {
      layer.remove();
      for (var k = changed.length - 1; k >= 0; k--) changed[k].layer.visible = changed[k].visible;
      if (previous) doc.activeLayer = previous;
    }
    return { width: __num(doc.width), height: __num(doc.height) };`,
  read(value) {
    const reply = readObject(value, 'reply');
    return { width: readNumber(reply.width, 'width'), height: readNumber(reply.height, 'height') };
  },
});
