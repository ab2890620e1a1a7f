import * as tf from '@tensorflow/tfjs-core';
import type { Engine, EngineLimits, ObjectiveSettings, ScaleObjective, VggImage } from '../../engine/types.ts';
import { NORMALIZATIONS } from '../../losses/normalization.ts';
import { blendStyleGrams } from '../../objective/blendStyleGrams.ts';
import { objective, tileFeatures, tileGradient, tileTerms, type ObjectivePlan, type ObjectiveTargets } from '../../objective/objective.ts';
import { featureShapes, planObjective, stepsThrough } from '../../objective/planObjective.ts';
import { planTiles } from '../../objective/planTiles.ts';
import { createTiledObjective, tiledFeatures, type TileFeatures, type TileInputs, type TilePasses } from '../../objective/tiledObjective.ts';
import type { VggModelName } from '../../vgg/architecture.ts';
import { checkLayersAvailable, findAvailableLayers } from '../../vgg/findAvailableLayers.ts';
import type { ConvWeightsByLayer } from '../../weights/types.ts';
import { createTfjsAlgebra, type TfjsAlgebra } from './createTfjsAlgebra.ts';
import { vggImageTensor } from './vggImageTensor.ts';

export interface TfjsEngineOptions {
  /**
   * The backend name users see and pick ('webgl', 'wasm', 'cpu'): the threaded wasm build registers itself
   * as 'wasm-threaded'. Default: tf.getBackend().
   */
  name?: string;
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
  return {
    name: options.name ?? tf.getBackend(),
    model,
    availableLayers,
    limits: options.limits ?? tfjsLimits(),
    checkLayers,
    async prepareScale(s, content, styles, { tileSize = Infinity } = {}) {
      checkLayers(s.contentLayers, 'options.contentLayers');
      checkLayers(s.styleLayers, 'options.styleLayers');
      const targets = await computeTargets(A, model, s, content, styles, tileSize);
      const plan = planObjective(model, s, content.height, content.width, targets.constants);
      const layout = planTiles(plan.steps, content.height, content.width, tileSize);
      if (layout.tiles.length === 1) return scaleObjective(A, plan, content.height, content.width, targets);
      disposeTargets(targets);
      return createTiledObjective(tilePasses(A, plan), plan, layout, content.height, content.width, { content: targets.contentArrays, style: targets.gramArrays });
    },
    dispose: () => A.dispose(),
  };
}

interface Targets extends ObjectiveTargets<tf.Tensor> {
  /** The blend constant of each style layer (blendStyleGrams.ts). */
  constants: Map<string, number>;
  /** The content features as the host keeps them (NCHW), for tiles. */
  contentArrays: Map<string, Float32Array>;
  /** The blended Grams, for tiles. */
  gramArrays: Map<string, Float32Array>;
}

/** NCHW data (as tiles and the host keep features) as an NHWC tensor, and back. */
const fromNchw = (data: Float32Array, channels: number, height: number, width: number) => tf.tidy(() => tf.transpose(tf.tensor4d(data, [1, channels, height, width]), [0, 2, 3, 1]));
const toNchw = (t: tf.Tensor) => tf.tidy(() => tf.transpose(t, [0, 3, 1, 2]));
const positionWeights = (weights: Float32Array, image: VggImage) => tf.tensor4d(weights, [1, image.height, image.width, 1]);

/** Downloads tensors made in a tidy scope, then frees them. */
async function download(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
  } finally {
    tf.dispose(tensors);
  }
}

/**
 * Content features at the content layers; each style's Grams divided by the normalisation's divisor, blended
 * on the host. Images larger than `tileSize` go through in tiles (tiledObjective.ts).
 */
async function computeTargets(A: TfjsAlgebra, model: VggModelName, s: ObjectiveSettings, content: VggImage, styles: Array<{ image: VggImage; weight: number }>, tileSize: number): Promise<Targets> {
  const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
  const normalization = NORMALIZATIONS[s.normalization];
  const runTile: TileFeatures = async (image, interior) => {
    const out = tf.tidy(() => {
      const r = tileFeatures(A, steps, s.pooling, vggImageTensor(image), positionWeights(interior, image), s.contentLayers, s.styleLayers);
      return [...[...r.content.values()].map(toNchw), ...r.grams.values()];
    });
    const data = await download(out);
    return { content: new Map(s.contentLayers.map((l, i) => [l, data[i]])), grams: new Map(s.styleLayers.map((l, i) => [l, data[s.contentLayers.length + i]])) };
  };
  const whole = (image: VggImage, layers: readonly string[]) => tiledFeatures(runTile, steps, planTiles(steps, image.height, image.width, tileSize), image, layers, s.styleLayers);

  const contentArrays = (await whole(content, s.contentLayers)).content;
  const active = styles.filter((style) => style.weight > 0);
  const grams = new Map<string, Float32Array[]>(s.styleLayers.map((l) => [l, []]));
  for (const style of active) {
    const shapes = featureShapes(steps, style.image.height, style.image.width);
    const out = await whole(style.image, []);
    for (const layer of s.styleLayers) {
      const { height, width } = shapes.get(layer)!;
      const divisor = normalization.gramDivisor(height * width);
      grams.get(layer)!.push(Float32Array.from(out.grams.get(layer)!, (v) => v / divisor));
    }
  }
  const shapes = featureShapes(steps, content.height, content.width);
  const targets: Targets = { content: new Map(), style: new Map(), constants: new Map(), contentArrays, gramArrays: new Map() };
  for (const [layer, data] of contentArrays) {
    const { channels, height, width } = shapes.get(layer)!;
    targets.content.set(layer, fromNchw(data, channels, height, width));
  }
  for (const [layer, g] of grams) {
    const { gram, constant } = blendStyleGrams(g, active.map((a) => a.weight));
    const channels = Math.sqrt(gram.length);
    targets.style.set(layer, tf.tensor2d(gram, [channels, channels]));
    targets.gramArrays.set(layer, gram);
    targets.constants.set(layer, constant);
  }
  return targets;
}

function disposeTargets(targets: Targets) {
  tf.dispose([...targets.content.values(), ...targets.style.values()]);
}

/** objective.ts's tile passes, eagerly: each tile's tensors live only while it runs. */
function tilePasses(A: TfjsAlgebra, plan: ObjectivePlan): TilePasses {
  const inputs = (tile: TileInputs) => {
    const shapes = featureShapes(plan.steps, tile.image.height, tile.image.width);
    const targets = new Map([...tile.contentTargets].map(([layer, data]) => {
      const { channels, height, width } = shapes.get(layer)!;
      return [layer, fromNchw(data, channels, height, width)];
    }));
    return { x: vggImageTensor(tile.image), interior: positionWeights(tile.interior, tile.image), targets };
  };
  return {
    async terms(tile) {
      const out = tf.tidy(() => {
        const { x, interior, targets } = inputs(tile);
        const r = tileTerms(A, plan, x, interior, targets);
        return [tf.stack([r.content, r.tv]), ...r.grams.values()];
      });
      const [[content, tv], ...grams] = await download(out);
      return { content, tv, grams: new Map(plan.style.map(({ layer }, i) => [layer, grams[i]])) };
    },
    async gradient(tile, gramGradients) {
      const out = tf.tidy(() => {
        const { x, interior, targets } = inputs(tile);
        const dG = new Map([...gramGradients].map(([layer, g]) => [layer, tf.tensor2d(g, [Math.sqrt(g.length), Math.sqrt(g.length)])]));
        return tileGradient(A, plan, x, interior, targets, dG);
      });
      return (await download([out]))[0];
    },
    dispose() {},
  };
}

function scaleObjective(A: TfjsAlgebra, plan: ObjectivePlan, height: number, width: number, targets: Targets): ScaleObjective {
  let disposed = false;
  return {
    height,
    width,
    async evaluate(x) {
      if (disposed) throw new Error('this scale objective was disposed');
      if (x.length !== height * width * 3) throw new Error(`evaluate: expected ${height}×${width}×3 = ${height * width * 3} values, got ${x.length}`);
      // An error (out of memory, typically) leaves nothing behind either: tidy frees what its scope made.
      const [terms, gradient] = tf.tidy(() => {
        const out = objective(A, plan, vggImageTensor({ height, width, data: x }), targets, height, width);
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
      disposeTargets(targets);
    },
  };
}
