import { NORMALIZATIONS, type ConvWeightsByLayer, type VggModelName } from '../../src/index.ts';
import type { ObjectiveSettings, VggImage } from '../../src/engine/types.ts';
import { blendStyleGrams } from '../../src/objective/blendStyleGrams.ts';
import { features, objective } from '../../src/objective/objective.ts';
import { featureShapes, planObjective, stepsThrough } from '../../src/objective/planObjective.ts';
import { createFloat64Algebra, f64, f64ToImage, imageToF64 } from './float64Algebra.ts';

/** The objective's terms and gradient (NHWC) in float64, targets included: what every engine must match. */
export function referenceObjective(
  model: VggModelName,
  weights: ConvWeightsByLayer,
  s: ObjectiveSettings,
  content: VggImage,
  styles: Array<{ image: VggImage; weight: number }>,
  x: ArrayLike<number>,
) {
  const A = createFloat64Algebra(weights);
  const n = NORMALIZATIONS[s.normalization];
  const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
  const contentFeatures = features(A, steps, s.pooling, imageToF64(content.data, content.height, content.width));
  const active = styles.filter((st) => st.weight > 0);
  const styleGrams = active.map((st) => {
    const F = features(A, steps, s.pooling, imageToF64(st.image.data, st.image.height, st.image.width));
    const shapes = featureShapes(steps, st.image.height, st.image.width);
    return new Map(s.styleLayers.map((l) => [l, A.scale(A.gram(F.get(l)!), 1 / n.gramDivisor(shapes.get(l)!.height * shapes.get(l)!.width))]));
  });
  const blended = new Map(
    s.styleLayers.map((l) => [l, blendStyleGrams(styleGrams.map((g) => Float32Array.from(g.get(l)!.data)), active.map((a) => a.weight))]),
  );
  const plan = planObjective(model, s, content.height, content.width, new Map([...blended].map(([l, b]) => [l, b.constant])));
  const out = objective(
    A,
    plan,
    imageToF64(x, content.height, content.width),
    {
      content: new Map(s.contentLayers.map((l) => [l, contentFeatures.get(l)!])),
      style: new Map([...blended].map(([l, b]) => [l, f64(A.gram(contentFeatures.get(l)!).dims, b.gram)])),
    },
    content.height,
    content.width,
  );
  const [c, st, tv] = [out.content, out.style, out.tv].map((t) => t.data[0]);
  return { terms: { content: c, style: st, tv, total: c + st + tv }, gradient: f64ToImage(out.gradient) };
}
