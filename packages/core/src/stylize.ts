import * as tf from '@tensorflow/tfjs-core';
import '#register-gradients';
import { fitLongestSide, resizeImage } from './image/resizeImage.ts';
import { combineLuminanceWithColours, matchLuminance, toGreyLuminance } from './image/luminance.ts';
import type { RgbaImage } from './image/types.ts';
import { upsampleWithDetail } from './image/upsampleWithDetail.ts';
import { fromVggInput, rgbaToTensor, tensorToRgba, toVggInput } from './image/vggPreprocessing.ts';
import { computeTargets, disposeTargets } from './losses/computeTargets.ts';
import { lossTerms, type LossSettings } from './losses/lossTerms.ts';
import { NORMALIZATIONS } from './losses/normalization.ts';
import { createAdam, createLbfgs, type Objective, type Optimizer } from './optimizers/index.ts';
import { uniformNoise } from './random/seededRandom.ts';
import type { ResolvedOptions, StylizeRequest } from './request/types.ts';
import { validateRequest } from './request/validateRequest.ts';
import { releaseAbandonedGradientTape } from './tfjs/releaseAbandonedGradientTape.ts';
import type { VggFeatureExtractor } from './vgg/createVggFeatureExtractor.ts';

export interface LossValues {
  total: number;
  content: number;
  style: number;
  tv: number;
}

export interface StylizeProgress {
  /** Index of the current scale (0 = coarsest) and how many there are. */
  scale: number;
  scales: number;
  width: number;
  height: number;
  /** Evaluations done at this scale, and this scale's budget. */
  evaluation: number;
  evaluations: number;
  /** Evaluations done and budgeted over all scales. */
  totalEvaluation: number;
  totalEvaluations: number;
  loss: LossValues;
  elapsedMs: number;
  /** Time left if every scale spends its whole budget. */
  etaMs: number;
  preview?: RgbaImage;
}

export interface StylizeCallbacks {
  onProgress?(progress: StylizeProgress): void | Promise<void>;
  /** Called every `options.snapshotEvery` evaluations with the full-size current image. */
  onSnapshot?(image: RgbaImage, progress: StylizeProgress): void | Promise<void>;
  signal?: AbortSignal;
  /** Attach a downscaled preview to every N-th progress event (0 = never). */
  previewEvery?: number;
  previewMaxSide?: number;
}

export interface StylizeResult {
  image: RgbaImage;
  stats: {
    evaluations: number;
    elapsedMs: number;
    /** Loss terms of the result, at the final scale. */
    loss: LossValues;
    seed: number;
    backend: string;
    scales: Array<{ width: number; height: number; evaluations: number; elapsedMs: number; stopReason: string }>;
  };
}

/**
 * Paints the content in the blended style of the style images (Gatys et al. 2015), coarse to fine:
 * at each scale, targets are computed once, then the optimiser changes the image to lower
 * content + style + total variation loss; each scale's result, upsampled (with the content's finer detail
 * added back), starts the next.
 */
export async function stylize(extractor: VggFeatureExtractor, request: StylizeRequest, callbacks: StylizeCallbacks = {}): Promise<StylizeResult> {
  const { content, styles, options } = validateRequest(request);
  if (options.model !== extractor.model) throw new Error(`options.model is ${options.model} but the feature extractor is ${extractor.model}`);
  extractor.checkLayers(options.contentLayers, 'options.contentLayers');
  extractor.checkLayers(options.styleLayers, 'options.styleLayers');
  callbacks.signal?.throwIfAborted();

  const started = performance.now();
  const settings = lossSettings(extractor, options);
  const sizes = scaleSizes(content.height, content.width, options.size, options.scales);
  const plan = { started, sizes, budgets: options.evaluations, done: 0 };

  // Colour preservation (Gatys et al. 2016): run on luminance, styles matched to the content's.
  const contentRgb = rgbaToTensor(content);
  const contentForRun = options.preserveColors ? toGreyLuminance(contentRgb) : contentRgb;
  const styleRgbs = styles.map((style) => {
    const rgb = rgbaToTensor(style.image);
    if (!options.preserveColors) return rgb;
    const matched = tf.tidy(() => matchLuminance(toGreyLuminance(rgb), contentForRun));
    rgb.dispose();
    return matched;
  });

  const scaleStats: StylizeResult['stats']['scales'] = [];
  let image: tf.Tensor4D | undefined;
  // L-BFGS's inverse-Hessian scale at the end of the previous scale, and that scale's pixel count.
  let stepScale: number | undefined;
  let previousPixels = 1;
  let finalLoss: LossValues | undefined;
  try {
    for (const [scale, [height, width]] of sizes.entries()) {
      const scaleStarted = performance.now();
      const contentInput = tf.tidy(() => toVggInput(resizeImage(contentForRun, height, width)));
      const targets = await scaleTargets(contentInput, styleRgbs, styles, height, width, options, settings).catch((error) => {
        contentInput.dispose();
        throw error;
      });
      const colours = options.preserveColors ? resizeImage(contentRgb, height, width) : undefined;
      const toRgb = (x: tf.Tensor4D) => tf.tidy(() => (colours ? combineLuminanceWithColours(fromVggInput(x), colours) : fromVggInput(x)));
      try {
        // Later scales start from the previous result; noise (init random) would only add grain there.
        const start = image ? upsampleWithDetail(image, contentInput) : initialImage(contentInput, options);
        tf.dispose([image, contentInput]);
        image = undefined;
        const tracker = createProgressTracker(plan, scale, height, width, options, callbacks, toRgb);
        const objective: Objective = async (x) => {
          callbacks.signal?.throwIfAborted();
          const { loss, grad, terms } = evaluate(x, height, width, targets, settings);
          try {
            const values = await readLoss(loss, terms);
            await tracker.record(x, values);
            return { loss: values.total, grad };
          } catch (error) {
            grad.dispose();
            throw error;
          }
        };
        const flat = tf.reshape(start, [-1]) as tf.Tensor1D;
        start.dispose();
        const hints = { inverseHessianScale: stepScale && stepScale * ((height * width) / previousPixels) ** -settings.normalization.curvatureExponent };
        const result = await createOptimizer(options).minimize(objective, flat, options.evaluations[scale], hints).finally(() => flat.dispose());
        [stepScale, previousPixels] = [result.inverseHessianScale, height * width];
        image = tf.reshape(result.x, [1, height, width, 3]);
        result.x.dispose();
        finalLoss = tracker.lossAt(result.loss);
        scaleStats.push({ width, height, evaluations: result.evaluations, elapsedMs: performance.now() - scaleStarted, stopReason: result.stopReason });
      } finally {
        disposeTargets(targets);
        tf.dispose([contentInput, colours]);
      }
    }

    const [height, width] = sizes[sizes.length - 1];
    const finalColours = options.preserveColors ? resizeImage(contentRgb, height, width) : undefined;
    const rgb = tf.tidy(() => (finalColours ? combineLuminanceWithColours(fromVggInput(image!), finalColours) : fromVggInput(image!)));
    finalColours?.dispose();
    const result = await tensorToRgba(rgb);
    rgb.dispose();
    return {
      image: result,
      stats: {
        evaluations: plan.done,
        elapsedMs: performance.now() - started,
        loss: finalLoss!,
        seed: options.seed,
        backend: tf.getBackend(),
        scales: scaleStats,
      },
    };
  } finally {
    tf.dispose([contentRgb, contentForRun, ...styleRgbs, image]);
  }
}

function lossSettings(extractor: VggFeatureExtractor, o: ResolvedOptions): LossSettings {
  const layerWeightSum = o.styleLayerWeights.reduce((a, b) => a + b, 0);
  return {
    extractor,
    pooling: o.pooling,
    normalization: NORMALIZATIONS[o.normalization],
    contentLayers: o.contentLayers,
    styleLayers: o.styleLayers,
    styleLayerWeights: o.styleLayerWeights.map((w) => w / layerWeightSum),
    contentWeight: o.contentWeight,
    styleWeight: o.styleWeight,
    tvWeight: o.tvWeight,
  };
}

/** The targets of one scale: the content as given, the styles resized for it. */
async function scaleTargets(
  contentInput: tf.Tensor4D,
  styleRgbs: tf.Tensor4D[],
  styles: Array<{ weight: number }>,
  height: number,
  width: number,
  o: ResolvedOptions,
  settings: LossSettings,
) {
  const styleInputs = styleRgbs.map((rgb, i) => ({
    image: tf.tidy(() => toVggInput(resizeStyle(rgb, height, width, o))),
    weight: styles[i].weight,
  }));
  try {
    return await computeTargets(contentInput, styleInputs, settings);
  } finally {
    tf.dispose(styleInputs.map((s) => s.image));
  }
}

/** Sizes [h, w] of each scale, coarsest first, each half the next, the last fitting `size`. */
export function scaleSizes(height: number, width: number, size: number, scales: number): Array<[number, number]> {
  return Array.from({ length: scales }, (_, i) => fitLongestSide(height, width, Math.round(size / 2 ** (scales - 1 - i))));
}

/**
 * Style images at `styleScale` times the result's size. Under the notebook normalisation the Gram
 * matrices are not divided by their positions, so the style must have exactly the result's positions.
 */
function resizeStyle(rgb: tf.Tensor4D, height: number, width: number, o: ResolvedOptions): tf.Tensor4D {
  if (o.normalization === 'notebook') return resizeImage(rgb, Math.round(height * o.styleScale), Math.round(width * o.styleScale));
  const [h, w] = fitLongestSide(rgb.shape[1], rgb.shape[2], Math.round(Math.max(height, width) * o.styleScale));
  return resizeImage(rgb, h, w);
}

function initialImage(contentInput: tf.Tensor4D, o: ResolvedOptions): tf.Tensor4D {
  if (o.init === 'content') return contentInput.clone();
  return tf.tidy(() => {
    const noise = toVggInput(tf.tensor(uniformNoise(contentInput.size, o.seed, 0, 255), contentInput.shape) as tf.Tensor4D);
    if (o.init === 'random') return noise;
    return tf.add(tf.mul(contentInput, 1 - o.noise), tf.mul(noise, o.noise)) as tf.Tensor4D;
  });
}

function createOptimizer(o: ResolvedOptions): Optimizer {
  return o.optimizer === 'lbfgs'
    ? createLbfgs({ historySize: o.lbfgsHistory, restartEvery: o.restartEvery })
    : createAdam({ learningRate: o.learningRate });
}

/** Loss and its gradient with respect to the (flattened) image; the three terms kept for reporting. */
function evaluate(x: tf.Tensor1D, height: number, width: number, targets: Parameters<typeof lossTerms>[1], settings: LossSettings) {
  let terms: tf.Scalar[] = [];
  try {
    const { value, grad } = tf.tidy(() =>
      tf.valueAndGrad((flat: tf.Tensor1D) => {
        const t = lossTerms(tf.reshape(flat, [1, height, width, 3]), targets, settings);
        terms = [t.content, t.style, t.tv].map((s) => tf.keep(s.clone()));
        return tf.addN([t.content, t.style, t.tv]) as tf.Scalar;
      })(x),
    );
    return { loss: value, grad: grad as tf.Tensor1D, terms };
  } catch (error) {
    // Out of memory, typically: the tensors saved for the backward pass would otherwise stay behind.
    tf.dispose(terms);
    releaseAbandonedGradientTape();
    throw error;
  }
}

async function readLoss(loss: tf.Scalar, terms: tf.Scalar[]): Promise<LossValues> {
  const [total, content, style, tv] = await Promise.all([loss, ...terms].map(async (t) => (await t.data())[0]));
  tf.dispose([loss, ...terms]);
  return { total, content, style, tv };
}

interface Plan {
  started: number;
  sizes: Array<[number, number]>;
  budgets: number[];
  done: number;
}

/** Counts evaluations, reports progress with an ETA, delivers previews and snapshots. */
function createProgressTracker(
  plan: Plan,
  scale: number,
  height: number,
  width: number,
  o: ResolvedOptions,
  callbacks: StylizeCallbacks,
  toRgb: (x: tf.Tensor4D) => tf.Tensor4D,
) {
  const scaleStarted = performance.now();
  const totalEvaluations = plan.budgets.reduce((a, b) => a + b, 0);
  const seen: LossValues[] = [];
  const pixels = (i: number) => plan.sizes[i][0] * plan.sizes[i][1];

  const imageOf = async (x: tf.Tensor1D, maxSide?: number) => {
    const rgb = tf.tidy(() => {
      const full = toRgb(tf.reshape(x, [1, height, width, 3]));
      if (!maxSide || Math.max(height, width) <= maxSide) return full;
      const [h, w] = fitLongestSide(height, width, maxSide);
      return resizeImage(full, h, w);
    });
    const image = await tensorToRgba(rgb);
    rgb.dispose();
    return image;
  };

  return {
    async record(x: tf.Tensor1D, loss: LossValues) {
      seen.push(loss);
      plan.done++;
      const evaluation = seen.length;
      const msPerEvaluation = (performance.now() - scaleStarted) / evaluation;
      let remaining = (plan.budgets[scale] - evaluation) * msPerEvaluation;
      for (let i = scale + 1; i < plan.sizes.length; i++) remaining += (plan.budgets[i] * msPerEvaluation * pixels(i)) / pixels(scale);
      const progress: StylizeProgress = {
        scale,
        scales: plan.sizes.length,
        width,
        height,
        evaluation,
        evaluations: plan.budgets[scale],
        totalEvaluation: plan.done,
        totalEvaluations,
        loss,
        elapsedMs: performance.now() - plan.started,
        etaMs: Math.max(0, remaining),
      };
      if (callbacks.previewEvery && evaluation % callbacks.previewEvery === 0) {
        progress.preview = await imageOf(x, callbacks.previewMaxSide ?? 256);
      }
      await callbacks.onProgress?.(progress);
      if (o.snapshotEvery > 0 && evaluation % o.snapshotEvery === 0 && callbacks.onSnapshot) {
        await callbacks.onSnapshot(await imageOf(x), progress);
      }
    },
    /** The terms of the evaluation whose total was `total` (the optimiser's best). */
    lossAt(total: number): LossValues {
      return seen.find((l) => l.total === total) ?? seen[seen.length - 1];
    },
  };
}
