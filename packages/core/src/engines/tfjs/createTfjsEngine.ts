import * as tf from '@tensorflow/tfjs-core';
import type { Engine, EngineLimits, ObjectiveSettings, ScaleObjective, ScaleStyle, VggImage } from '../types.ts';
import { objective, tileContentTargets, tileTargets, tileGradient, tileTerms, type ObjectivePlan, type ObjectiveTargets, type PositionWeights } from '../../objective/objective.ts';
import { objectiveLayers, objectiveSteps, planObjective } from '../../plan/planObjective.ts';
import { featureShapes } from '../../vgg/featureShapes.ts';
import { stepsThrough } from '../../vgg/stepsThrough.ts';
import { layoutTiles } from '../../plan/layoutTiles.ts';
import { gramTargets, styleRegions, wassersteinTargets, type StyleRegion } from '../../objective/styleRegions.ts';
import { createStyleStatisticsCache, styleStatistics, type StyleStatisticsCache, type StyleTargetCount } from '../../objective/styleStatistics.ts';
import { createTiledObjective, targetsTileByTile, wholeImage, type TileTargetsPass, type TileInputs, type TilePasses } from '../../objective/tiledObjective.ts';
import type { VggModelName } from '../../vgg/architecture.ts';
import { checkLayersAvailable, findAvailableLayers } from '../../vgg/findAvailableLayers.ts';
import type { ConvWeightsByLayer } from '../../weights/types.ts';
import { scaleTiles } from '../../plan/scaleTiles.ts';
import { createTfjsAlgebra, type TfjsAlgebra } from './createTfjsAlgebra.ts';
import { vggImageTensor } from './vggImageTensor.ts';

export interface TfjsEngineOptions {
  /**
   * The backend name users see and pick ('webgl', 'wasm', 'cpu'): the threaded wasm build registers itself
   * as 'wasm-threaded'. Default: tf.getBackend().
   */
  name?: string;
  /** The backend's package and its version, from the host's version check: '@tensorflow/tfjs-backend-wasm 4.22.0' (Engine.runtime). */
  runtime?: string;
  /** Default: the backend's own (tfjsLimits). */
  limits?: EngineLimits;
}

/**
 * What TensorFlow.js's backends hold: wasm a 4 GiB heap; WebGL a tensor of at most MAX_TEXTURE_SIZE² texels
 * of four floats; the cpu backend whatever the host has (unknown here).
 */
function tfjsLimits(): EngineLimits {
  const backend = tf.getBackend();
  if (backend.startsWith('wasm')) return { memoryBytes: 4 * 2 ** 30 };
  if (backend === 'webgl') return { maxTensorBytes: tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE') ** 2 * 16 };
  return {};
}

/**
 * The objective (objective.ts) on TensorFlow.js, eagerly on whatever backend is active. Targets are computed
 * once per scale; each evaluation then runs the image forward and back, freeing each layer's activation
 * once the backward pass is past it, and leaves no tensor behind.
 */
export function createTfjsEngine(model: VggModelName, weights: ConvWeightsByLayer, options: TfjsEngineOptions = {}): Engine {
  const availableLayers = findAvailableLayers(model, weights);
  const checkLayers = (layers: readonly string[], field?: string) => checkLayersAvailable(model, availableLayers, layers, field);
  const A = createTfjsAlgebra(weights, availableLayers);
  const styleCache = createStyleStatisticsCache();
  return {
    name: options.name ?? tf.getBackend(),
    runtime: options.runtime,
    model,
    availableLayers,
    limits: options.limits ?? tfjsLimits(),
    checkLayers,
    async prepareScale(s, content, styles, { tileSize = Infinity, contentMask, contentPerTile = false } = {}) {
      checkLayers(s.contentLayers, 'options.contentLayers');
      checkLayers(s.styleLayers, 'options.styleLayers');
      const { layout, perTile } = scaleTiles(objectiveSteps({ ...s, model }), content, tileSize, s, contentPerTile);
      const { contentArrays, regions, styleTargets } = await computeTargets(A, model, s, content, styles, tileSize, perTile, styleCache);
      const plan = planObjective(model, s, content.height, content.width, regions);
      const masks = { content: contentMask, regions: regions.map((r) => r.mask) };
      const wasserstein = plan.styleLoss === 'wasserstein';
      if (layout.tiles.length === 1 && !wasserstein) return { ...scaleObjective(A, plan, content, { content: contentArrays!, style: gramTargets(plan, regions) }, masks), styleTargets };
      // Tiled, or the Wasserstein loss, whose terms need the whole image's moments before the backward pass:
      // two passes (over the whole image when it is not tiled), the Wasserstein terms on the host.
      const parts = layout.tiles.length === 1 ? wholeImage(content.height, content.width) : layout;
      const tiledContent = contentArrays ? { features: contentArrays } : { image: content };
      const targets = wasserstein ? { style: [], wasserstein: wassersteinTargets(plan, regions) } : { style: gramTargets(plan, regions) };
      return { ...createTiledObjective(tilePasses(A, plan), plan, parts, content.height, content.width, { content: tiledContent, ...targets }, masks), styleTargets };
    },
    dispose: () => A.dispose(),
  };
}

/** NCHW data (as tiles and the host keep features) as an NHWC tensor, and back. */
const fromNchw = (data: Float32Array, channels: number, height: number, width: number) => tf.tidy(() => tf.transpose(tf.tensor4d(data, [1, channels, height, width]), [0, 2, 3, 1]));
const toNchw = (t: tf.Tensor) => tf.tidy(() => tf.transpose(t, [0, 3, 1, 2]));
const positionWeights = (weights: Float32Array, image: { height: number; width: number }) => tf.tensor4d(weights, [1, image.height, image.width, 1]);

/** Downloads tensors made in a tidy scope, then frees them. */
async function download(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
  } finally {
    tf.dispose(tensors);
  }
}

/**
 * Content features at the content layers (NCHW, as the host keeps them; none when the tiles compute their
 * own); each style's Grams divided by the
 * normalisation's divisor, grouped into regions and blended on the host. Images larger than `tileSize` go
 * through in tiles (tiledObjective.ts).
 */
async function computeTargets(
  A: TfjsAlgebra,
  model: VggModelName,
  s: ObjectiveSettings,
  content: VggImage,
  styles: ScaleStyle[],
  tileSize: number,
  contentPerTile: boolean,
  styleCache: StyleStatisticsCache,
): Promise<{ contentArrays?: Map<string, Float32Array>; regions: StyleRegion[]; styleTargets: StyleTargetCount }> {
  const { contentLayers, styleLayers } = objectiveLayers(s);
  const steps = stepsThrough(model, [...contentLayers, ...styleLayers]);
  const withSums = s.styleLoss === 'wasserstein';
  const runTile = (layers: readonly string[]): TileTargetsPass => async (image, interior) => {
    const out = tf.tidy(() => {
      const r = tileTargets(A, steps, s.pooling, vggImageTensor(image), positionWeights(interior, image), layers, styleLayers, withSums);
      return [...[...r.content.values()].map(toNchw), ...r.grams.values(), ...r.sums.values()];
    });
    const data = await download(out);
    const [c, l] = [layers.length, styleLayers.length];
    return {
      content: new Map(layers.map((layer, i) => [layer, data[i]])),
      grams: new Map(styleLayers.map((layer, i) => [layer, data[c + i]])),
      sums: new Map(withSums ? styleLayers.map((layer, i) => [layer, data[c + l + i]]) : []),
    };
  };
  const whole = (image: VggImage, layers: readonly string[]) => targetsTileByTile(runTile(layers), steps, layoutTiles(steps, image.height, image.width, tileSize), image, layers, styleLayers);

  const contentArrays = contentPerTile ? undefined : contentLayers.length === 0 ? new Map<string, Float32Array>() : (await whole(content, contentLayers)).content;
  const styled = await styleStatistics(styles, { ...s, styleLayers: [...styleLayers] }, steps, tileSize, styleCache, (image) => whole(image, []));
  return { contentArrays, regions: styleRegions(styled.statistics, s.styleLoss), styleTargets: styled.count };
}

/** objective.ts's tile passes, eagerly: each tile's tensors live only while it runs. */
function tilePasses(A: TfjsAlgebra, plan: ObjectivePlan): TilePasses {
  const inputs = (tile: TileInputs) => {
    const shapes = featureShapes(plan.steps, tile.image.height, tile.image.width);
    const { content: under } = tile;
    const targets =
      'image' in under
        ? tileContentTargets(A, plan, vggImageTensor(under.image))
        : new Map([...under.features].map(([layer, data]) => {
            const { channels, height, width } = shapes.get(layer)!;
            return [layer, fromNchw(data, channels, height, width)];
          }));
    const { interior, content, regions } = tile.weights;
    const at = (m: Float32Array | undefined) => m && positionWeights(m, tile.image);
    const weights = { interior: at(interior), content: at(content), regions: regions.map(at) };
    return { x: vggImageTensor(tile.image), weights, targets };
  };
  return {
    async terms(tile) {
      const out = tf.tidy(() => {
        const { x, weights, targets } = inputs(tile);
        const r = tileTerms(A, plan, x, weights, targets);
        return [tf.stack([r.content, r.tv]), ...r.grams, ...r.sums];
      });
      const [[content, tv], ...moments] = await download(out);
      return { content, tv, grams: moments.slice(0, plan.style.length), sums: moments.slice(plan.style.length) };
    },
    async gradient(tile, gramGradients, sumGradients) {
      const out = tf.tidy(() => {
        const { x, weights, targets } = inputs(tile);
        const dG = gramGradients.map((g) => tf.tensor2d(g, [Math.sqrt(g.length), Math.sqrt(g.length)]));
        const dSums = sumGradients.map((d) => tf.tensor2d(d, [d.length, 1]));
        return tileGradient(A, plan, x, weights, targets, dG, dSums);
      });
      return (await download([out]))[0];
    },
    dispose() {},
  };
}

/** The untiled objective, its targets and masks kept as tensors for the scale's life. */
function scaleObjective(
  A: TfjsAlgebra,
  plan: ObjectivePlan,
  { height, width }: VggImage,
  arrays: { content: Map<string, Float32Array>; style: Float32Array[] },
  masks: PositionWeights<Float32Array>,
): ScaleObjective {
  const shapes = featureShapes(plan.steps, height, width);
  const targets: ObjectiveTargets<tf.Tensor> = {
    content: new Map([...arrays.content].map(([layer, data]) => {
      const { channels, height: h, width: w } = shapes.get(layer)!;
      return [layer, fromNchw(data, channels, h, w)];
    })),
    style: arrays.style.map((g) => tf.tensor2d(g, [Math.sqrt(g.length), Math.sqrt(g.length)])),
  };
  const weights: PositionWeights<tf.Tensor> = {
    content: masks.content && positionWeights(masks.content, { height, width }),
    regions: masks.regions.map((m) => m && positionWeights(m, { height, width })),
  };
  const held = [...targets.content.values(), ...targets.style, ...[weights.content, ...weights.regions].filter((t) => t !== undefined)];
  let disposed = false;
  return {
    height,
    width,
    async evaluate(x) {
      if (disposed) throw new Error('this scale objective was disposed');
      if (x.length !== height * width * 3) throw new Error(`evaluate: expected ${height}×${width}×3 = ${height * width * 3} values, got ${x.length}`);
      // An error (out of memory, typically) leaves nothing behind either: tidy frees what its scope made.
      const [terms, gradient] = tf.tidy(() => {
        const out = objective(A, plan, vggImageTensor({ height, width, data: x }), targets, weights, height, width);
        return [tf.stack([out.content, out.style, out.tv]), out.gradient];
      });
      try {
        const [[content, style, tv], g] = await Promise.all([terms.data(), gradient.data()]);
        // The gradient's array is the caller's once its tensor is gone.
        return { terms: { total: content + style + tv, content, style, tv }, gradient: g as Float32Array };
      } finally {
        tf.dispose([terms, gradient]);
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(held);
    },
  };
}
