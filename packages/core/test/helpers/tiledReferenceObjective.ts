import { NORMALIZATIONS, type ConvWeightsByLayer, type VggModelName } from '../../src/index.ts';
import type { ObjectiveSettings, VggImage } from '../../src/engine/types.ts';
import { blendStyleGrams } from '../../src/objective/blendStyleGrams.ts';
import { tileFeatures, tileGradient, tileTerms, type ObjectivePlan } from '../../src/objective/objective.ts';
import { featureShapes, planObjective, stepsThrough } from '../../src/objective/planObjective.ts';
import { planTiles } from '../../src/objective/planTiles.ts';
import { createTiledObjective, tiledFeatures, type TileFeatures, type TileInputs, type TilePasses } from '../../src/objective/tiledObjective.ts';
import { createFloat64Algebra, f64, f64ToImage, imageToF64 } from './float64Algebra.ts';

/**
 * The objective evaluated tile by tile (tiledObjective.ts) with the float64 algebra: the tiling's arithmetic
 * is then exact up to the float32 arrays it passes between tiles, so any error from a halo too small or a
 * window misaligned shows plainly against referenceObjective.
 */
export async function tiledReferenceObjective(
  model: VggModelName,
  weights: ConvWeightsByLayer,
  s: ObjectiveSettings,
  content: VggImage,
  styles: Array<{ image: VggImage; weight: number }>,
  x: Float32Array,
  tileSize: number,
) {
  const A = createFloat64Algebra(weights);
  const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
  const weightsOf = (interior: Float32Array, image: VggImage) => f64([1, 1, image.height, image.width], interior);
  const run: TileFeatures = async (image, interior) => {
    const out = tileFeatures(A, steps, s.pooling, imageToF64(image.data, image.height, image.width), weightsOf(interior, image), s.contentLayers, s.styleLayers);
    const toF32 = (m: Map<string, { data: Float64Array }>) => new Map([...m].map(([l, t]) => [l, Float32Array.from(t.data)]));
    return { content: toF32(out.content), grams: toF32(out.grams) };
  };
  const whole = (image: VggImage, layers: readonly string[]) => tiledFeatures(run, steps, planTiles(steps, image.height, image.width, tileSize), image, layers, s.styleLayers);
  const n = NORMALIZATIONS[s.normalization];
  const contentFeatures = await whole(content, s.contentLayers);
  const active = styles.filter((st) => st.weight > 0);
  const styleGrams = await Promise.all(active.map(async (st) => {
    const shapes = featureShapes(steps, st.image.height, st.image.width);
    const { grams } = await whole(st.image, []);
    return new Map([...grams].map(([l, g]) => [l, Float32Array.from(g, (v) => v / n.gramDivisor(shapes.get(l)!.height * shapes.get(l)!.width))]));
  }));
  const blended = new Map(s.styleLayers.map((l) => [l, blendStyleGrams(styleGrams.map((g) => g.get(l)!), active.map((a) => a.weight))]));
  const plan = planObjective(model, s, content.height, content.width, new Map([...blended].map(([l, b]) => [l, b.constant])));
  const objective = createTiledObjective(float64TilePasses(weights, plan), plan, planTiles(steps, content.height, content.width, tileSize), content.height, content.width, {
    content: contentFeatures.content,
    style: new Map([...blended].map(([l, b]) => [l, b.gram])),
  });
  return objective.evaluate(x);
}

function float64TilePasses(weights: ConvWeightsByLayer, plan: ObjectivePlan): TilePasses {
  const A = createFloat64Algebra(weights);
  const inputs = (tile: TileInputs) => {
    const { height, width } = tile.image;
    const shapes = featureShapes(plan.steps, height, width);
    const targets = new Map([...tile.contentTargets].map(([l, t]) => {
      const { channels, height: h, width: w } = shapes.get(l)!;
      return [l, f64([1, channels, h, w], t)];
    }));
    return { x: imageToF64(tile.image.data, height, width), interior: f64([1, 1, height, width], tile.interior), targets };
  };
  return {
    async terms(tile) {
      const { x, interior, targets } = inputs(tile);
      const out = tileTerms(A, plan, x, interior, targets);
      return { content: out.content.data[0], tv: out.tv.data[0], grams: new Map([...out.grams].map(([l, g]) => [l, Float32Array.from(g.data)])) };
    },
    async gradient(tile, gramGradients) {
      const { x, interior, targets } = inputs(tile);
      const dG = new Map([...gramGradients].map(([l, g]) => [l, f64([Math.sqrt(g.length), Math.sqrt(g.length)], g)]));
      return Float32Array.from(f64ToImage(tileGradient(A, plan, x, interior, targets, dG)));
    },
    dispose() {},
  };
}
