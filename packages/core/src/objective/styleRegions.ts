import { blendStyleGrams } from './blendStyleGrams.ts';

/** The styles painted over one area of the content, blended into one target per style layer. */
export interface StyleRegion {
  /** Where: 0–1 per pixel of the content (height · width, row-major); absent: everywhere. */
  mask?: Float32Array;
  /** Its styles' share of the whole blend weight (the regions' shares sum to 1). */
  weight: number;
  /** The blended Gram target and its constant (blendStyleGrams.ts), by style layer. */
  targets: Map<string, { gram: Float32Array; constant: number }>;
}

/**
 * Styles grouped into regions: every unmasked style in one region everywhere (blended exactly, at the cost of a
 * single style), each masked style a region of its own. Styles of weight 0 are left out. `grams`: each style's
 * normalised Grams by style layer.
 */
export function styleRegions(styles: Array<{ weight: number; mask?: Float32Array; grams: Map<string, Float32Array> }>): StyleRegion[] {
  const active = styles.filter((s) => s.weight > 0);
  const total = active.reduce((sum, s) => sum + s.weight, 0);
  const everywhere = active.filter((s) => !s.mask);
  const groups = [...(everywhere.length > 0 ? [everywhere] : []), ...active.filter((s) => s.mask).map((s) => [s])];
  return groups.map((group) => ({
    mask: group[0].mask,
    weight: group.reduce((sum, s) => sum + s.weight, 0) / total,
    targets: new Map(
      [...group[0].grams.keys()].map((layer) => [layer, blendStyleGrams(group.map((s) => s.grams.get(layer)!), group.map((s) => s.weight))]),
    ),
  }));
}
