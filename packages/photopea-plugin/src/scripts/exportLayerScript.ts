import type { Bounds, LayerRef } from '../document/types.ts';
import { defineTemplate } from './PhotopeaScript.ts';
import { readBounds, readObject } from './readReply.ts';

/**
 * One layer (or group) alone, as a PNG of the whole canvas, without changing the document: Photopea can
 * only export a whole document (saveToOE, https://www.photopea.com/learn/scripts), so the script shows the
 * layer and its groups, hides the other layers at each level above it, exports, and puts back every eye it
 * touched — in one script, so Photopea never draws the in-between state, and in `finally`, so an error puts
 * them back too. saveToOE takes its picture when called: stable-diffusion-ps-pea's exportSelectedLayerOnly
 * restores visibility right after it the same way. Only eyes that must change are touched, and layers
 * inside the exported group keep theirs. Answers the layer's bounds as they were exported.
 */
export const exportLayerScript = /* @__PURE__ */ defineTemplate<{ document: string; layer: LayerRef }, { bounds: Bounds }>({
  what: 'export a layer',
  buffers: 1,
  timeoutMs: 60_000,
  body: `
    var doc = __doc(args.document);
    var target = __at(doc, args.layer, null);
    var changed = [];
    function show(layer, visible) {
      if (!!layer.visible === visible) return;
      changed.push({ layer: layer, visible: layer.visible });
      layer.visible = visible;
    }
    try {
      var c = doc;
      for (var i = 0; i < args.layer.path.length; i++) {
        var onPath = c.layers[args.layer.path[i]];
        for (var j = 0; j < c.layers.length; j++) if (c.layers[j] != onPath) show(c.layers[j], false);
        show(onPath, true);
        c = onPath;
      }
      doc.saveToOE("png");
    } finally {
      for (var k = changed.length - 1; k >= 0; k--) changed[k].layer.visible = changed[k].visible;
    }
    return { bounds: __bounds(target) };`,
  read: (value) => ({ bounds: readBounds(readObject(value, 'reply').bounds, 'bounds') }),
});
