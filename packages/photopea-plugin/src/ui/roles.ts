import type { DocumentInfo, LayerInfo, LayerRef } from '../document/types.ts';
import type { RegionSource, Roles } from './PanelState.ts';

export const layerKey = (ref: LayerRef) => `${ref.path.join('.')}:${ref.name}`;
const sameLayer = (a: LayerRef, b: LayerRef) => layerKey(a) === layerKey(b);
const refOf = (layer: LayerInfo): LayerRef => ({ path: layer.path, name: layer.name });

/** A new document's roles: its active layer as the content (the whole document if none), no styles yet. */
export function initialRoles(doc: DocumentInfo): Roles {
  return { content: doc.active ?? 'document', styles: [] };
}

/** `ref` in `doc`: at its path with its name, else by a name no other layer has (a layer added above moved it down). */
export function findLayer(doc: DocumentInfo, ref: LayerRef): LayerRef | undefined {
  const exact = doc.layers.find((l) => sameLayer(l, ref));
  if (exact) return refOf(exact);
  const named = doc.layers.filter((l) => l.name === ref.name);
  return named.length === 1 ? refOf(named[0]) : undefined;
}

/**
 * The roles once the layers were read again: each layer is found at its path with its name, else by a name
 * no other layer has (a layer added above moved it down); one that is gone is dropped. Another document
 * starts over.
 */
export function reconcileRoles(roles: Roles, doc: DocumentInfo, previous: DocumentInfo | undefined): Roles {
  if (!previous || previous.name !== doc.name) return initialRoles(doc);
  const find = (ref: LayerRef) => findLayer(doc, ref);
  const content = roles.content === 'document' || roles.content === null ? roles.content : (find(roles.content) ?? null);
  const styles = roles.styles.flatMap((style) => {
    const found = find(style);
    if (!found) return [];
    // A region layer that is gone leaves the style painting everywhere.
    const regionLayer = style.region?.kind === 'layer' ? find(style.region.layer) : undefined;
    const region: RegionSource | undefined = style.region?.kind === 'layer' ? (regionLayer ? { kind: 'layer', layer: regionLayer } : undefined) : style.region;
    return [{ ...found, weight: style.weight, ...(region ? { region } : {}) }];
  });
  const moreContents = (roles.moreContents ?? []).flatMap((ref) => find(ref) ?? []);
  return { content, ...(moreContents.length && { moreContents }), styles };
}

/** `layer` (or the whole document) becomes the content; it stops being a style or another content. */
export function makeContent(roles: Roles, layer: LayerRef | 'document'): Roles {
  return withMoreContents(
    { content: layer, styles: layer === 'document' ? roles.styles : roles.styles.filter((s) => !sameLayer(s, layer)) },
    layer === 'document' ? [] : (roles.moreContents ?? []).filter((c) => !sameLayer(c, layer)),
  );
}

/** Marks `layer` as another content (painted with the same styles in the same click, its own result), or unmarks it; it stops being a style. */
export function toggleMoreContent(roles: Roles, layer: LayerRef): Roles {
  const more = roles.moreContents ?? [];
  if (more.some((c) => sameLayer(c, layer))) return withMoreContents(roles, more.filter((c) => !sameLayer(c, layer)));
  if (isContent(roles, layer)) return roles;
  return withMoreContents({ ...roles, styles: roles.styles.filter((s) => !sameLayer(s, layer)) }, [...more, { path: layer.path, name: layer.name }]);
}

function withMoreContents(roles: Roles, more: LayerRef[]): Roles {
  const { moreContents: _previous, ...rest } = roles;
  return more.length ? { ...rest, moreContents: more } : rest;
}

/** Adds `layer` as a style (half weight) or takes it out; a content layer made a style is no longer the content. */
export function toggleStyle(roles: Roles, layer: LayerRef): Roles {
  if (roles.styles.some((s) => sameLayer(s, layer))) return { ...roles, styles: roles.styles.filter((s) => !sameLayer(s, layer)) };
  const content = roles.content !== 'document' && roles.content !== null && sameLayer(roles.content, layer) ? null : roles.content;
  return withMoreContents({ content, styles: [...roles.styles, { path: layer.path, name: layer.name, weight: 50 }] }, (roles.moreContents ?? []).filter((c) => !sameLayer(c, layer)));
}

export function setStyleWeight(roles: Roles, layer: LayerRef, weight: number): Roles {
  return { ...roles, styles: roles.styles.map((s) => (sameLayer(s, layer) ? { ...s, weight } : s)) };
}

/** Where the style on `layer` paints: a region, or everywhere (undefined). */
export function setStyleRegion(roles: Roles, layer: LayerRef, region: RegionSource | undefined): Roles {
  const styles = roles.styles.map((style) => {
    if (!sameLayer(style, layer)) return style;
    const { region: _previous, ...rest } = style;
    return region ? { ...rest, region } : rest;
  });
  return { ...roles, styles };
}

export const isContent = (roles: Roles, layer: LayerRef) => roles.content !== null && roles.content !== 'document' && sameLayer(roles.content, layer);
export const isMoreContent = (roles: Roles, layer: LayerRef) => (roles.moreContents ?? []).some((c) => sameLayer(c, layer));
export const styleOf = (roles: Roles, layer: LayerRef) => roles.styles.find((s) => sameLayer(s, layer));
