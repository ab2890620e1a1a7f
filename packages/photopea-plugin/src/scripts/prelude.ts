/**
 * Helpers every script starts with. ES5 only: Photopea runs scripts written for Photoshop's ExtendScript DOM
 * and not every newer feature is available there (stable-diffusion-ps-pea, public/js/photopea.js, says so).
 * The DOM calls are those of Photoshop's scripting reference that Photopea implements
 * (https://www.photopea.com/learn/scripts): `app.activeDocument`, `layers`, `typename`, `bounds` (unit values
 * with `.value`), `visible`, `name`, `activeLayer`.
 *
 * - `__at(doc, ref, skip)`: the layer at `ref.path`, checked against `ref.name`; `skip` is left out of every
 *   list, so a path read before a layer was inserted still leads to the same layer after.
 * - `__ref(doc, layer)`: the path and name of a layer object.
 * - `__count(doc)`: every layer, groups' contents included (a new layer shows up as one more).
 */
export const PRELUDE = `
function __num(v) { return typeof v === "number" ? v : (v && typeof v.value === "number" ? v.value : Number(v)); }
function __fail(code, message) { var e = new Error(message); e.code = code; return e; }
function __doc(name) {
  var doc = app.activeDocument;
  if (!doc) throw __fail("no-document", "No document is open in Photopea.");
  if (name !== null && doc.name !== name) throw __fail("document-changed", "The active document is \u201c" + doc.name + "\u201d, not \u201c" + name + "\u201d.");
  return doc;
}
function __bounds(layer) { var b = layer.bounds; return [__num(b[0]), __num(b[1]), __num(b[2]), __num(b[3])]; }
function __isGroup(layer) { return layer.typename === "LayerSet"; }
function __count(c) {
  var n = 0;
  for (var i = 0; i < c.layers.length; i++) { n++; if (__isGroup(c.layers[i])) n += __count(c.layers[i]); }
  return n;
}
function __list(c, skip) {
  var out = [];
  for (var i = 0; i < c.layers.length; i++) if (c.layers[i] != skip) out.push(c.layers[i]);
  return out;
}
function __at(doc, ref, skip) {
  var c = doc, layer = null;
  for (var i = 0; i < ref.path.length; i++) {
    if (i > 0 && !__isGroup(c)) { layer = null; break; }
    layer = __list(c, skip)[ref.path[i]];
    if (!layer) break;
    c = layer;
  }
  if (!layer || layer.name !== ref.name) throw __fail("layer-moved", "The layer \u201c" + ref.name + "\u201d is no longer where it was (moved, renamed or deleted).");
  return layer;
}
function __pathOf(c, target, prefix) {
  for (var i = 0; i < c.layers.length; i++) {
    var layer = c.layers[i], path = prefix.concat([i]);
    if (layer == target) return path;
    if (__isGroup(layer)) { var found = __pathOf(layer, target, path); if (found) return found; }
  }
  return null;
}
function __ref(doc, layer) {
  var path = layer ? __pathOf(doc, layer, []) : null;
  return path ? { path: path, name: String(layer.name) } : null;
}
`;
