import type { DocumentInfo, LayerInfo } from '../document/types.ts';
import { defineTemplate } from './PhotopeaScript.ts';
import { readArray, readBoolean, readBounds, readNumber, readObject, readPath, readRef, readString } from './readReply.ts';

/**
 * The active document and every layer in it, groups' contents flattened in document order (top first), or
 * null when no document is open. Reading changes nothing.
 */
export const listLayersScript = /* @__PURE__ */ defineTemplate<Record<string, never>, DocumentInfo | null>({
  what: 'read the layers',
  timeoutMs: 10_000,
  body: `
    var doc = null;
    try { doc = app.activeDocument; } catch (e) {}
    if (!doc) return null;
    var layers = [];
    function visit(c, prefix, parents, hidden) {
      for (var i = 0; i < c.layers.length; i++) {
        var layer = c.layers[i], path = prefix.concat([i]), group = __isGroup(layer);
        layers.push({ path: path, name: String(layer.name), group: group, visible: !!layer.visible,
          shown: !!layer.visible && !hidden, bounds: __bounds(layer), parents: parents });
        if (group) visit(layer, path, parents.concat([String(layer.name)]), hidden || !layer.visible);
      }
    }
    visit(doc, [], [], false);
    var active = null;
    try { active = __ref(doc, doc.activeLayer); } catch (e) {}
    return { name: String(doc.name), width: __num(doc.width), height: __num(doc.height), layers: layers, active: active };`,
  read(value) {
    if (value === null) return null;
    const doc = readObject(value, 'document');
    return {
      name: readString(doc.name, 'document.name'),
      width: readNumber(doc.width, 'document.width'),
      height: readNumber(doc.height, 'document.height'),
      layers: readArray(doc.layers, 'layers').map((item, i): LayerInfo => {
        const layer = readObject(item, `layers[${i}]`);
        return {
          path: readPath(layer.path, `layers[${i}].path`),
          name: readString(layer.name, `layers[${i}].name`),
          group: readBoolean(layer.group, `layers[${i}].group`),
          visible: readBoolean(layer.visible, `layers[${i}].visible`),
          shown: readBoolean(layer.shown, `layers[${i}].shown`),
          bounds: readBounds(layer.bounds, `layers[${i}].bounds`),
          parents: readArray(layer.parents, `layers[${i}].parents`).map((p, j) => readString(p, `layers[${i}].parents[${j}]`)),
        };
      }),
      active: doc.active === null || doc.active === undefined ? null : readRef(doc.active, 'active'),
    };
  },
});
