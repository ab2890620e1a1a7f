import * as tf from '@tensorflow/tfjs-core';
import '#register-gradients';
import type { Engine, Evaluation, ObjectiveSettings, ScaleObjective, VggImage } from '../../engine/types.ts';
import { computeTargets, disposeTargets } from '../../losses/computeTargets.ts';
import { lossTerms, type LossSettings, type Targets } from '../../losses/lossTerms.ts';
import { NORMALIZATIONS } from '../../losses/normalization.ts';
import { releaseAbandonedGradientTape } from '../../tfjs/releaseAbandonedGradientTape.ts';
import type { VggModelName } from '../../vgg/architecture.ts';
import { createVggFeatureExtractor, type VggFeatureExtractor } from '../../vgg/createVggFeatureExtractor.ts';
import type { ConvWeightsByLayer } from '../../weights/types.ts';
import { vggImageTensor } from './vggImageTensor.ts';

export interface TfjsEngineOptions {
  /**
   * The backend name users see and pick ('webgl', 'wasm', 'cpu'): the threaded wasm build registers itself
   * as 'wasm-threaded'. Default: tf.getBackend().
   */
  name?: string;
}

/** The objective on TensorFlow.js, on whatever backend is active: VGG with custom-gradient ops, autodiff for the rest. */
export function createTfjsEngine(model: VggModelName, weights: ConvWeightsByLayer, options: TfjsEngineOptions = {}): Engine {
  return createTfjsEngineFromExtractor(createVggFeatureExtractor(model, weights), options);
}

/** The tfjs engine around a feature extractor (which it then owns). */
export function createTfjsEngineFromExtractor(extractor: VggFeatureExtractor, options: TfjsEngineOptions = {}): Engine {
  return {
    name: options.name ?? tf.getBackend(),
    model: extractor.model,
    availableLayers: extractor.availableLayers,
    checkLayers: (layers, field) => extractor.checkLayers(layers, field),
    async prepareScale(settings, content, styles) {
      const lossSettings = toLossSettings(extractor, settings);
      const contentTensor = vggImageTensor(content);
      const styleTensors = styles.map((style) => ({ image: vggImageTensor(style.image), weight: style.weight }));
      try {
        const targets = await computeTargets(contentTensor, styleTensors, lossSettings);
        return scaleObjective(content.height, content.width, targets, lossSettings);
      } finally {
        tf.dispose([contentTensor, ...styleTensors.map((s) => s.image)]);
      }
    },
    dispose: () => extractor.dispose(),
  };
}

function toLossSettings(extractor: VggFeatureExtractor, s: ObjectiveSettings): LossSettings {
  return { ...s, extractor, normalization: NORMALIZATIONS[s.normalization] };
}

function scaleObjective(height: number, width: number, targets: Targets, settings: LossSettings): ScaleObjective {
  let disposed = false;
  return {
    height,
    width,
    async evaluate(x) {
      if (disposed) throw new Error('this scale objective was disposed');
      if (x.length !== height * width * 3) throw new Error(`evaluate: expected ${height}×${width}×3 = ${height * width * 3} values, got ${x.length}`);
      const image = vggImageTensor({ height, width, data: x });
      let terms: tf.Scalar[] = [];
      let value: tf.Scalar;
      let grad: tf.Tensor;
      try {
        ({ value, grad } = tf.tidy(() =>
          tf.valueAndGrad((input: tf.Tensor4D) => {
            const t = lossTerms(input, targets, settings);
            terms = [t.content, t.style, t.tv].map((s) => tf.keep(s.clone()));
            return tf.addN([t.content, t.style, t.tv]) as tf.Scalar;
          })(image),
        ));
      } catch (error) {
        // Out of memory, typically: the tensors saved for the backward pass would otherwise stay behind.
        tf.dispose(terms);
        releaseAbandonedGradientTape();
        throw error;
      } finally {
        image.dispose();
      }
      return read(value, terms, grad);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      disposeTargets(targets);
    },
  };
}

/** Downloads the terms and the gradient, then frees them; the gradient's array is the caller's once its tensor is gone. */
async function read(total: tf.Scalar, terms: tf.Scalar[], grad: tf.Tensor): Promise<Evaluation> {
  try {
    const [values, gradient] = await Promise.all([Promise.all([total, ...terms].map(async (t) => (await t.data())[0])), grad.data()]);
    const [sum, content, style, tv] = values;
    return { terms: { total: sum, content, style, tv }, gradient: gradient as Float32Array };
  } finally {
    tf.dispose([total, grad, ...terms]);
  }
}
