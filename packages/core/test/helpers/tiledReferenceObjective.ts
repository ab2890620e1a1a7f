import { NORMALIZATIONS, type ConvWeightsByLayer, type VggModelName } from '../../src/index.ts';
import type { ObjectiveSettings, ScaleStyle, VggImage } from '../../src/engines/types.ts';
import { tileContentTargets, tileTargets, tileGradient, tileTerms, type ObjectivePlan } from '../../src/objective/objective.ts';
import { planObjective } from '../../src/plan/planObjective.ts';
import { featureShapes } from '../../src/vgg/featureShapes.ts';
import { stepsThrough } from '../../src/vgg/stepsThrough.ts';
import { layoutTiles } from '../../src/plan/layoutTiles.ts';
import { gramTargets, styleRegions, wassersteinTargets } from '../../src/objective/styleRegions.ts';
import { createTiledObjective, targetsTileByTile, wholeImage, type TileTargetsPass, type TileInputs, type TilePasses } from '../../src/objective/tiledObjective.ts';
import { createFloat64Algebra, f64, f64ToImage, imageToF64 } from './float64Algebra.ts';

/**
 * The objective evaluated tile by tile (tiledObjective.ts) with the float64 algebra: the tiling's arithmetic
 * is then exact up to the float32 arrays it passes between tiles, so any error from a halo too small or a
 * window misaligned shows plainly against referenceObjective. With one tile (tileSize Infinity), the two passes
 * over the whole image: the Wasserstein loss's float64 reference.
 */
export async function tiledReferenceObjective(
  model: VggModelName,
  weights: ConvWeightsByLayer,
  s: ObjectiveSettings,
  content: VggImage,
  styles: ScaleStyle[],
  x: Float32Array,
  tileSize: number,
  { contentMask, contentPerTile = false }: { contentMask?: Float32Array; contentPerTile?: boolean } = {},
) {
  const A = createFloat64Algebra(weights);
  const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
  const weightsOf = (interior: Float32Array, image: VggImage) => f64([1, 1, image.height, image.width], interior);
  const run: TileTargetsPass = async (image, interior) => {
    const out = tileTargets(A, steps, s.pooling, imageToF64(image.data, image.height, image.width), weightsOf(interior, image), s.contentLayers, s.styleLayers, s.styleLoss === 'wasserstein');
    const toF32 = (m: Map<string, { data: Float64Array }>) => new Map([...m].map(([l, t]) => [l, Float32Array.from(t.data)]));
    return { content: toF32(out.content), grams: toF32(out.grams), sums: toF32(out.sums) };
  };
  const whole = (image: VggImage, layers: readonly string[]) => targetsTileByTile(run, steps, layoutTiles(steps, image.height, image.width, tileSize), image, layers, s.styleLayers);
  const n = NORMALIZATIONS[s.normalization];
  const regions = styleRegions(
    await Promise.all(
      styles.map(async (st) => {
        const shapes = featureShapes(steps, st.image.height, st.image.width);
        const { grams, sums } = await whole(st.image, []);
        const normalised = (m: Map<string, Float64Array>) => new Map([...m].map(([l, g]) => [l, Float32Array.from(g, (v) => v / n.gramDivisor(shapes.get(l)!.height * shapes.get(l)!.width))] as const));
        return { weight: st.weight, mask: st.mask, grams: normalised(grams), means: normalised(sums) };
      }),
    ),
    s.styleLoss,
  );
  const plan = planObjective(model, s, content.height, content.width, regions);
  // One tile is the whole image (tiledObjective.ts's wholeImage): the Wasserstein loss's untiled evaluation.
  const layout = layoutTiles(steps, content.height, content.width, tileSize, s.seamless);
  const objective = createTiledObjective(
    float64TilePasses(weights, plan),
    plan,
    layout.tiles.length > 1 ? layout : wholeImage(content.height, content.width),
    content.height,
    content.width,
    { content: contentPerTile ? { image: content } : { features: (await whole(content, s.contentLayers)).content }, ...(plan.styleLoss === 'wasserstein' ? { style: [], wasserstein: wassersteinTargets(plan, regions) } : { style: gramTargets(plan, regions) }) },
    { content: contentMask, regions: regions.map((r) => r.mask) },
  );
  return objective.evaluate(x);
}

function float64TilePasses(weights: ConvWeightsByLayer, plan: ObjectivePlan): TilePasses {
  const A = createFloat64Algebra(weights);
  const inputs = (tile: TileInputs) => {
    const { height, width } = tile.image;
    const shapes = featureShapes(plan.steps, height, width);
    const { content: under } = tile;
    const targets =
      'image' in under
        ? tileContentTargets(A, plan, imageToF64(under.image.data, height, width))
        : new Map([...under.features].map(([l, t]) => {
            const { channels, height: h, width: w } = shapes.get(l)!;
            return [l, f64([1, channels, h, w], t)];
          }));
    const at = (m: Float32Array | undefined) => m && f64([1, 1, height, width], m);
    const { interior, content, regions } = tile.weights;
    return { x: imageToF64(tile.image.data, height, width), weights: { interior: at(interior), content: at(content), regions: regions.map(at) }, targets };
  };
  return {
    async terms(tile) {
      const { x, weights: w, targets } = inputs(tile);
      const out = tileTerms(A, plan, x, w, targets);
      return { content: out.content.data[0], tv: out.tv.data[0], grams: out.grams.map((g) => g.data), sums: out.sums.map((t) => t.data) };
    },
    async gradient(tile, gramGradients, sumGradients) {
      const { x, weights: w, targets } = inputs(tile);
      const dG = gramGradients.map((g) => f64([Math.sqrt(g.length), Math.sqrt(g.length)], g));
      const dSums = sumGradients.map((d) => f64([d.length, 1], d));
      return Float32Array.from(f64ToImage(tileGradient(A, plan, x, w, targets, dG, dSums)));
    },
    dispose() {},
  };
}
