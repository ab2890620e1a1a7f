import type { ObjectiveSettings } from '../engines/types.ts';
import { NORMALIZATIONS } from '../objective/normalization.ts';
import type { VggModelName, VggStep } from '../vgg/architecture.ts';
import { featureShapes } from '../vgg/featureShapes.ts';
import { stepsThrough } from '../vgg/stepsThrough.ts';
import type { ObjectivePlan } from '../objective/objective.ts';
import { PasticheInputError } from '../request/PasticheInputError.ts';
import type { StyleRegion } from '../objective/styleRegions.ts';
import type { ResolvedOptions } from '../request/types.ts';

/**
 * The factors of every term at one image size, under the settings' weights and normalisation, one style term
 * per style layer and region. A region's Gram sums over its mask's positions (weighted m²), so it is divided
 * by the normalisation's divisor times the mask's area a_r,l, the mean of m² at the layer's resolution: a
 * region's Gram is then its masked features' statistics at any coverage, comparable with the style's, and a
 * mask of ones (a = 1) gives the unmasked term exactly.
 */
export function planObjective(model: VggModelName, s: ObjectiveSettings, height: number, width: number, regions: readonly StyleRegion[]): ObjectivePlan {
  checkStyleLoss(s);
  const n = NORMALIZATIONS[s.normalization];
  const { contentLayers, styleLayers } = objectiveLayers(s);
  const used = [...contentLayers, ...styleLayers];
  const steps = used.length > 0 ? stepsThrough(model, used) : [];
  const period = 2 ** steps.filter((step) => step.kind === 'pool').length;
  if (s.seamless && (height % period !== 0 || width % period !== 0)) {
    // A 'valid' pool would drop an odd last row or column, and the pattern's period with it (objective.ts).
    throw new PasticheInputError('options.seamless', `a seamless pattern's sides must be multiples of ${period} (2^pools of the layers in use), got ${width}×${height}`);
  }
  const shapes = featureShapes(steps, height, width);
  const areas = regions.map(({ mask }) => mask && maskAreas(steps, mask, height, width));
  return {
    steps,
    pooling: s.pooling,
    padding: s.seamless ? 'wrap' : 'zero',
    content: contentLayers.map((layer) => {
      const { height: h, width: w, channels } = shapes.get(layer)!;
      return { layer, factor: s.contentWeight * n.contentFactor(h * w * channels) };
    }),
    styleLoss: s.styleLoss ?? 'gram',
    style: styleLayers.flatMap((layer) => {
      const { height: h, width: w, channels } = shapes.get(layer)!;
      // The Wasserstein term is a mean over channels already (objective.ts): the normalisation's factor is Gram's.
      const normalised = s.styleLoss === 'wasserstein' ? 1 : n.styleFactor(channels, height, width);
      const layerFactor = s.styleWeight * s.styleLayerWeights[s.styleLayers.indexOf(layer)] * normalised;
      return regions.map(({ weight, targets }, region) => {
        const area = areas[region]?.get(layer) ?? 1;
        if (!(area > 0)) throw new PasticheInputError('styles', `style region ${region + 1} has no area left at ${layer} (${w}×${h}): its mask is empty there`);
        const target = targets.get(layer);
        return { layer, region, channels, factor: layerFactor * weight, divisor: n.gramDivisor(h * w) * area, constant: target?.constant ?? 0 };
      });
    }),
    // An image one pixel high or wide has no neighbouring pairs: no TV term.
    tvFactor: height < 2 || width < 2 ? 0 : s.tvWeight * n.tvFactor(height, width),
  };
}

/** Position weights (height · width, row-major) average-pooled along the network as objective.ts pools them: the mean of their squares at each step. */
export function maskAreas(steps: VggStep[], mask: Float32Array, height: number, width: number): Map<string, number> {
  const areas = new Map<string, number>();
  let [m, h, w] = [Float64Array.from(mask), height, width];
  for (const step of steps) {
    if (step.kind === 'pool') {
      const [ph, pw] = [Math.floor(h / 2), Math.floor(w / 2)];
      const pooled = new Float64Array(ph * pw);
      for (let y = 0; y < ph; y++) {
        for (let x = 0; x < pw; x++) pooled[y * pw + x] = (m[2 * y * w + 2 * x] + m[2 * y * w + 2 * x + 1] + m[(2 * y + 1) * w + 2 * x] + m[(2 * y + 1) * w + 2 * x + 1]) / 4;
      }
      [m, h, w] = [pooled, ph, pw];
    }
    areas.set(step.name, m.reduce((sum, v) => sum + v * v, 0) / Math.max(1, h * w));
  }
  return areas;
}

type LayerSettings = Pick<ObjectiveSettings, 'contentLayers' | 'styleLayers' | 'contentWeight' | 'styleWeight'>;

/**
 * The layers the objective evaluates: a term weighted 0 is left out with its layers, so its targets are
 * neither computed nor looked for (the engines take their targets' layers from here, as the plan does).
 */
export function objectiveLayers(s: LayerSettings): { contentLayers: readonly string[]; styleLayers: readonly string[] } {
  return { contentLayers: s.contentWeight > 0 ? s.contentLayers : [], styleLayers: s.styleWeight > 0 ? s.styleLayers : [] };
}

/** The objective's settings under resolved options: style layer weights normalised to sum 1. */
export function objectiveSettings(o: ResolvedOptions): ObjectiveSettings {
  const layerWeightSum = o.styleLayerWeights.reduce((a, b) => a + b, 0);
  return {
    pooling: o.pooling,
    normalization: o.normalization,
    seamless: o.seamless,
    styleLoss: o.styleLoss,
    contentLayers: o.contentLayers,
    styleLayers: o.styleLayers,
    styleLayerWeights: o.styleLayerWeights.map((w) => w / layerWeightSum),
    contentWeight: o.contentWeight,
    styleWeight: o.styleWeight,
    tvWeight: o.tvWeight,
  };
}

/** The network an evaluation runs under these options: up to the deepest layer with a weight. */
export function objectiveSteps(options: LayerSettings & { model: VggModelName }) {
  const { contentLayers, styleLayers } = objectiveLayers(options);
  return stepsThrough(options.model, [...contentLayers, ...styleLayers]);
}

/**
 * The notebook normalisation is the reference notebooks' Gram objective, raw sums over the image; the
 * Wasserstein distance compares means and covariances, statistics per position, and has no notebook form.
 */
export function checkStyleLoss(s: Pick<ObjectiveSettings, 'styleLoss' | 'normalization'>) {
  if (s.styleLoss === 'wasserstein' && s.normalization === 'notebook') {
    throw new PasticheInputError('options.styleLoss', "the Wasserstein style loss compares per-position statistics and has no form under the notebook normalization (the notebooks' Gram objective): use normalization scale-invariant, or styleLoss gram");
  }
}
