import * as tf from '@tensorflow/tfjs-core';
import type { Engine, ObjectiveSettings, ScaleObjective, VggImage } from '../../engine/types.ts';
import { NORMALIZATIONS } from '../../losses/normalization.ts';
import { blendStyleGrams } from '../../objective/blendStyleGrams.ts';
import { features, objective, type ObjectivePlan, type ObjectiveTargets } from '../../objective/objective.ts';
import { featureShapes, planObjective, stepsThrough } from '../../objective/planObjective.ts';
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
    checkLayers,
    async prepareScale(s, content, styles) {
      checkLayers(s.contentLayers, 'options.contentLayers');
      checkLayers(s.styleLayers, 'options.styleLayers');
      const targets = await computeTargets(A, model, s, content, styles);
      const plan = planObjective(model, s, content.height, content.width, targets.constants);
      return scaleObjective(A, plan, content.height, content.width, targets);
    },
    dispose: () => A.dispose(),
  };
}

interface Targets extends ObjectiveTargets<tf.Tensor> {
  /** The blend constant of each style layer (blendStyleGrams.ts). */
  constants: Map<string, number>;
}

/** Content features at the content layers; each style's Grams divided by the normalisation's divisor, blended on the host. */
async function computeTargets(A: TfjsAlgebra, model: VggModelName, s: ObjectiveSettings, content: VggImage, styles: Array<{ image: VggImage; weight: number }>): Promise<Targets> {
  const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
  const normalization = NORMALIZATIONS[s.normalization];
  const featuresOf = (image: VggImage) => features(A, steps, s.pooling, vggImageTensor(image));
  const contentTargets = tf.tidy(() => {
    const F = featuresOf(content);
    return s.contentLayers.map((layer) => F.get(layer)!);
  });
  const targets: Targets = { content: new Map(s.contentLayers.map((layer, i) => [layer, contentTargets[i]])), style: new Map(), constants: new Map() };
  try {
    const active = styles.filter((style) => style.weight > 0);
    const grams = new Map<string, Float32Array[]>(s.styleLayers.map((l) => [l, []]));
    for (const style of active) {
      const raw = tf.tidy(() => {
        const F = featuresOf(style.image);
        return s.styleLayers.map((layer) => A.gram(F.get(layer)!));
      });
      const shapes = featureShapes(steps, style.image.height, style.image.width);
      try {
        for (const [i, layer] of s.styleLayers.entries()) {
          const { height, width } = shapes.get(layer)!;
          const divisor = normalization.gramDivisor(height * width);
          const values = (await raw[i].data()) as Float32Array;
          grams.get(layer)!.push(values.map((v) => v / divisor));
        }
      } finally {
        tf.dispose(raw);
      }
    }
    for (const [layer, g] of grams) {
      const { gram, constant } = blendStyleGrams(g, active.map((a) => a.weight));
      const channels = Math.sqrt(gram.length);
      targets.style.set(layer, tf.tensor2d(gram, [channels, channels]));
      targets.constants.set(layer, constant);
    }
    return targets;
  } catch (error) {
    disposeTargets(targets); // out of memory on a big render, typically: give back what was made
    throw error;
  }
}

function disposeTargets(targets: Targets) {
  tf.dispose([...targets.content.values(), ...targets.style.values()]);
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
