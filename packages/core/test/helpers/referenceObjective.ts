import { NORMALIZATIONS, type ConvWeightsByLayer, type VggModelName } from '../../src/index.ts';
import type { ObjectiveSettings, ScaleStyle, VggImage } from '../../src/engines/types.ts';
import { features, objective } from '../../src/objective/objective.ts';
import { planObjective } from '../../src/plan/planObjective.ts';
import { featureShapes } from '../../src/vgg/featureShapes.ts';
import { stepsThrough } from '../../src/vgg/stepsThrough.ts';
import { gramTargets, styleRegions } from '../../src/objective/styleRegions.ts';
import { createFloat64Algebra, f64, f64ToImage, imageToF64 } from './float64Algebra.ts';

/**
 * The Gram objective's terms and gradient (NHWC) in float64, targets included: what every engine must match. The
 * Wasserstein loss's, evaluated in two passes, is tiledReferenceObjective's (whole: tileSize Infinity).
 */
export function referenceObjective(
  model: VggModelName,
  weights: ConvWeightsByLayer,
  s: ObjectiveSettings,
  content: VggImage,
  styles: ScaleStyle[],
  x: ArrayLike<number>,
  contentMask?: Float32Array,
) {
  const A = createFloat64Algebra(weights);
  const n = NORMALIZATIONS[s.normalization];
  const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
  const contentFeatures = features(A, steps, s.pooling, imageToF64(content.data, content.height, content.width));
  const regions = styleRegions(
    styles.map((st) => {
      const F = features(A, steps, s.pooling, imageToF64(st.image.data, st.image.height, st.image.width));
      const shapes = featureShapes(steps, st.image.height, st.image.width);
      const divisor = (l: string) => n.gramDivisor(shapes.get(l)!.height * shapes.get(l)!.width);
      const gram = (l: string) => Float32Array.from(A.scale(A.gram(F.get(l)!), 1 / divisor(l)).data);
      const mean = (l: string) => Float32Array.from(A.scale(A.channelSums(F.get(l)!), 1 / divisor(l)).data);
      return { weight: st.weight, mask: st.mask, grams: new Map(s.styleLayers.map((l) => [l, gram(l)])), means: new Map(s.styleLayers.map((l) => [l, mean(l)])) };
    }),
    s.styleLoss,
  );
  const plan = planObjective(model, s, content.height, content.width, regions);
  const weightsAt = (m: Float32Array | undefined) => m && f64([1, 1, content.height, content.width], m);
  const out = objective(
    A,
    plan,
    imageToF64(x, content.height, content.width),
    {
      content: new Map(s.contentLayers.map((l) => [l, contentFeatures.get(l)!])),
      style: gramTargets(plan, regions).map((gram, i) => f64([plan.style[i].channels, plan.style[i].channels], gram)),
    },
    { content: weightsAt(contentMask), regions: regions.map((r) => weightsAt(r.mask)) },
    content.height,
    content.width,
  );
  const [c, st, tv] = [out.content, out.style, out.tv].map((t) => t.data[0]);
  return { terms: { content: c, style: st, tv, total: c + st + tv }, gradient: f64ToImage(out.gradient) };
}
