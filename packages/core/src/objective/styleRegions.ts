import { blendStyleGrams } from './blendStyleGrams.ts';
import { blendStyleMoments } from './blendStyleMoments.ts';
import type { ObjectivePlan, StyleLoss } from './objective.ts';
import type { WassersteinTarget } from './wassersteinTerm.ts';

/**
 * What a style term compares with at one layer. Gram: the blended Gram (C × C) and its blend constant
 * (blendStyleGrams.ts), which the engines take. Wasserstein: the blended moments' Gaussian (blendStyleMoments.ts),
 * which the host takes (wassersteinTerm.ts), tr Σ̄ as the constant.
 */
export type StyleTarget = { gram: Float32Array; constant: number } | { wasserstein: WassersteinTarget; constant: number };

/** The styles painted over one area of the content, blended into one target per style layer. */
export interface StyleRegion {
  /** Where: 0–1 per pixel of the content (height · width, row-major); absent: everywhere. */
  mask?: Float32Array;
  /** Its styles' share of the whole blend weight (the regions' shares sum to 1). */
  weight: number;
  /** The blended target, by style layer. */
  targets: Map<string, StyleTarget>;
}

/** One style's statistics at each style layer: S = G/d (the normalised Gram) and, for the Wasserstein loss, the mean μ. */
export interface StyleStatistics {
  weight: number;
  mask?: Float32Array;
  grams: Map<string, Float32Array>;
  means?: Map<string, Float32Array>;
}

/**
 * Styles grouped into regions: every unmasked style in one region everywhere (blended at the cost of a single
 * style), each masked style a region of its own. Styles of weight 0 are left out.
 */
export function styleRegions(styles: StyleStatistics[], loss: StyleLoss = 'gram'): StyleRegion[] {
  const active = styles.filter((s) => s.weight > 0);
  const total = active.reduce((sum, s) => sum + s.weight, 0);
  const everywhere = active.filter((s) => !s.mask);
  const groups = [...(everywhere.length > 0 ? [everywhere] : []), ...active.filter((s) => s.mask).map((s) => [s])];
  const blend = (group: StyleStatistics[], layer: string): StyleTarget => {
    const weights = group.map((s) => s.weight);
    if (loss === 'gram') {
      const { gram, constant } = blendStyleGrams(group.map((s) => s.grams.get(layer)!), weights);
      return { gram, constant };
    }
    const moments = group.map((s) => {
      const mean = s.means?.get(layer);
      if (!mean) throw new Error(`styleRegions: the Wasserstein loss needs each style's mean at ${layer}`);
      return { mean, second: s.grams.get(layer)! };
    });
    const t = blendStyleMoments(moments, weights);
    return { wasserstein: t, constant: t.covarianceTrace };
  };
  return groups.map((group) => ({
    mask: group[0].mask,
    weight: group.reduce((sum, s) => sum + s.weight, 0) / total,
    targets: new Map([...group[0].grams.keys()].map((layer) => [layer, blend(group, layer)])),
  }));
}

/** Each Gram style term's target (its blended Gram), in plan.style's order. */
export function gramTargets(plan: ObjectivePlan, regions: readonly StyleRegion[]): Float32Array[] {
  return plan.style.map(({ layer, region }) => {
    const target = regions[region].targets.get(layer)!;
    if (!('gram' in target)) throw new Error(`gramTargets: the target at ${layer} is not a Gram`);
    return target.gram;
  });
}

/** Each Wasserstein style term's target, in plan.style's order. */
export function wassersteinTargets(plan: ObjectivePlan, regions: readonly StyleRegion[]): WassersteinTarget[] {
  return plan.style.map(({ layer, region }) => {
    const target = regions[region].targets.get(layer)!;
    if (!('wasserstein' in target)) throw new Error(`wassersteinTargets: the target at ${layer} is not a Wasserstein target`);
    return target.wasserstein;
  });
}
