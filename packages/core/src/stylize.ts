import type { ScaleStats } from './plan/ScaleStats.ts';
import type { Engine, LossValues, VggImage } from './engines/types.ts';
import { fitLongestSide, resizeImage } from './image/resizeImage.ts';
import { combineLuminanceWithColours, matchLuminance, toGreyLuminance } from './image/luminance.ts';
import type { FloatImage, RgbaImage } from './image/types.ts';
import { maskAt, maskWeights } from './image/maskWeights.ts';
import { alphaOf, fillTransparent, hasTransparency } from './image/transparency.ts';
import { upsampleWithDetail } from './image/upsampleWithDetail.ts';
import { fromVggInput, rgbaToRgb, rgbToRgba, toVggInput } from './image/vggPreprocessing.ts';
import { NORMALIZATIONS } from './objective/normalization.ts';
import { createAdam, createLbfgs, type MinimizeHints, type Objective, type Optimizer } from './optimizers/index.ts';
import { uniformNoise } from './random/seededRandom.ts';
import type { ResolvedOptions, StylizeRequest } from './request/types.ts';
import { validateRequest } from './request/validateRequest.ts';
import { planScales } from './plan/planScales.ts';
import { objectiveSettings } from './plan/planObjective.ts';
import { estimateTimeLeft, evaluationCosts } from './plan/estimateScheduleTime.ts';
import { scaleSizes, sideMultiple } from './plan/scaleSizes.ts';
import { plateauStop } from './plan/planSchedule.ts';
import { prepareCheckpoints, withResumedSeed } from './checkpoint/prepareCheckpoints.ts';
import type { CheckpointEvery, StylizeCheckpoint } from './checkpoint/StylizeCheckpoint.ts';

export type { LossValues } from './engines/types.ts';

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
  /**
   * Attach a downscaled preview to every N-th progress event of each scale (0 = never), and, so that
   * something shows at once and as each scale completes, to an early one of the coarsest scale (see
   * FIRST_PREVIEW_AT) and the first of every later one (the previous scale's result, upsampled).
   */
  previewEvery?: number;
  previewMaxSide?: number;
  /**
   * Called with a checkpoint (request.resume continues it exactly): between optimiser steps once `checkpointEvery`
   * says so, at the end of each scale, and, when the run is aborted, at the last step reached. Awaited; the
   * checkpoint's arrays are never changed afterwards, so it can be kept and written later.
   */
  onCheckpoint?(checkpoint: StylizeCheckpoint): void | Promise<void>;
  /** Default DEFAULT_CHECKPOINT_EVERY. */
  checkpointEvery?: CheckpointEvery;
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
    /**
     * Each scale as it ran: tiles (1: untiled), the side asked (tileSize) and laid out (tileInterior), whether
     * the tiles computed their content targets (contentPerTile), and the L-BFGS pairs it kept.
     */
    scales: ScaleStats[];
  };
}

/**
 * Paints the content in the blended style of the style images (Gatys et al. 2015), coarse to fine:
 * at each scale, the engine computes the targets once, then the optimiser changes the image to lower
 * content + style + total variation loss, asking the engine for the loss and its gradient; each scale's
 * result, upsampled (with the content's finer detail added back), starts the next.
 */
export async function stylize(engine: Engine, request: StylizeRequest, callbacks: StylizeCallbacks = {}): Promise<StylizeResult> {
  // options.scaleSides, evaluations and plateau are the schedule (planSchedule's, or exactly the fixed one asked).
  const validated = validateRequest(withResumedSeed(request));
  const { content, styles, contentMask, initImage, options } = validated;
  if (options.model !== engine.model) throw new Error(`options.model is ${options.model} but the engine runs ${engine.model}`);
  engine.checkLayers(options.contentLayers, 'options.contentLayers');
  engine.checkLayers(options.styleLayers, 'options.styleLayers');
  callbacks.signal?.throwIfAborted();

  const settings = objectiveSettings(options);
  const { curvatureExponent } = NORMALIZATIONS[options.normalization];
  const sizes = scaleSizes(content.height, content.width, options.scaleSides, sideMultiple(options));
  const pixelsOf = (scale: number) => sizes[scale][0] * sizes[scale][1];
  // A resumed run keeps its checkpoint's plan and goes on from its position (checkpoint/prepareCheckpoints.ts).
  const { scalePlans, resume, checkpointer } = await prepareCheckpoints(engine, validated, request.resume, callbacks, () => planScales(options, sizes, engine.limits));
  const started = performance.now() - (resume?.position.elapsedMs ?? 0);
  const plan = { started, sizes, costs: evaluationCosts(options, scalePlans), budgets: options.evaluations, done: resume?.position.totalEvaluations ?? 0 };

  // A content with transparency is painted with its transparent colours filled and given its alpha back (transparency.ts).
  const alpha = hasTransparency(content) ? alphaOf(content) : undefined;
  const alphaAt = (height: number, width: number) => alpha && maskAt(alpha, height, width);
  // Colour preservation (Gatys et al. 2016): run on luminance, styles matched to the content's.
  const contentRgb = alpha ? fillTransparent(content) : rgbaToRgb(content);
  const contentForRun = options.preserveColors ? toGreyLuminance(contentRgb) : contentRgb;
  const styleRgbs = styles.map((style) => {
    const rgb = rgbaToRgb(style.image);
    return options.preserveColors ? matchLuminance(toGreyLuminance(rgb), contentForRun) : rgb;
  });
  // Masks (regions, Gatys et al. 2017) are resized to the content at every scale.
  const styleMasks = styles.map((style) => style.mask && maskWeights(style.mask));
  const contentWeights = contentMask && maskWeights(contentMask);
  const initRgb = initImage && (options.preserveColors ? toGreyLuminance(rgbaToRgb(initImage)) : rgbaToRgb(initImage));
  const coloursAt = (height: number, width: number) => (options.preserveColors ? resizeImage(contentRgb, height, width) : undefined);

  const scaleStats: ScaleStats[] = resume ? [...resume.finishedScales] : [];
  // The previous scale's result, its loss terms and L-BFGS's inverse-Hessian scale at its end (which scales the next one's first step).
  let image: VggImage | undefined = resume?.image;
  let finalLoss: LossValues | undefined = resume?.loss;
  let stepScale: number | undefined = resume?.position.inverseHessianScale;
  const position = (scale: number) => ({ scale, totalEvaluations: plan.done, elapsedMs: performance.now() - started, inverseHessianScale: stepScale, finishedScales: scaleStats });
  for (let scale = resume?.position.scale ?? 0; scale < sizes.length; scale++) {
    const [height, width] = sizes[scale];
    const resumed = scale === resume?.position.scale ? resume.optimizer && { optimizer: resume.optimizer, bestTerms: resume.bestTerms } : undefined;
    const scaleStarted = performance.now();
    const contentInput = toVggInput(resizeImage(contentForRun, height, width));
    const styleInputs = styleRgbs.map((rgb, i) => {
      const mask = styleMasks[i];
      return { image: toVggInput(resizeStyle(rgb, height, width, options)), weight: styles[i].weight, ...(mask && { mask: maskAt(mask, height, width) }) };
    });
    const scaled = await engine.prepareScale(settings, contentInput, styleInputs, {
      tileSize: scalePlans[scale].tileSize,
      contentPerTile: scalePlans[scale].contentPerTile,
      ...(contentWeights && { contentMask: maskAt(contentWeights, height, width) }),
    });
    try {
      const colours = coloursAt(height, width);
      const toRgb = (x: VggImage) => (colours ? combineLuminanceWithColours(fromVggInput(x), colours) : fromVggInput(x));
      // Later scales start from the previous result; noise (init random) would only add grain there.
      const start = resumed ? resumed.optimizer.x : (image ? upsampleWithDetail(image, contentInput, options.seamless) : initialImage(contentInput, options, initRgb)).data;
      const tracker = createProgressTracker(plan, scale, height, width, options, callbacks, toRgb, alphaAt, resumed && { evaluations: resumed.optimizer.tracked.evaluations, bestTerms: resumed.bestTerms });
      const objective: Objective = async (x) => {
        callbacks.signal?.throwIfAborted();
        const { terms, gradient } = await scaled.evaluate(x);
        await tracker.record(x, terms);
        return { loss: terms.total, grad: gradient };
      };
      const hints: MinimizeHints = {
        inverseHessianScale: stepScale && stepScale * (pixelsOf(scale) / pixelsOf(scale - 1)) ** -curvatureExponent,
        // Every term is a sum of squares or powers: the carried γ's first step is capped at Polyak's step to 0.
        lossLowerBound: 0,
        ...(options.plateau && { stopEarly: plateauStop(options.plateau) }),
        ...(checkpointer && { betweenSteps: (state) => checkpointer.betweenSteps(position(scale), state, tracker.bestTerms()) }),
        ...(resumed && { resume: resumed.optimizer }),
      };
      const result = await createOptimizer(options, scalePlans[scale].lbfgsHistory)
        .minimize(objective, start, options.evaluations[scale], hints)
        .catch(async (error: unknown) => {
          if (callbacks.signal?.aborted) await checkpointer?.flush();
          throw error;
        });
      stepScale = result.inverseHessianScale;
      image = { height, width, data: result.x };
      finalLoss = tracker.bestTerms() ?? tracker.lastTerms();
      const { tiles, tileSize, tileInterior, contentPerTile, lbfgsHistory } = scalePlans[scale];
      const ran = { evaluations: result.evaluations, elapsedMs: performance.now() - scaleStarted, stopReason: result.stopReason };
      scaleStats.push({ width, height, ...ran, tiles, tileSize, tileInterior, contentPerTile, lbfgsHistory, styleTargets: scaled.styleTargets });
      await checkpointer?.scaleFinished(position(scale + 1), image, finalLoss);
    } finally {
      scaled.dispose();
    }
  }

  const [height, width] = sizes[sizes.length - 1];
  const finalColours = coloursAt(height, width);
  const rgb = finalColours ? combineLuminanceWithColours(fromVggInput(image!), finalColours) : fromVggInput(image!);
  return {
    image: rgbToRgba(rgb, alphaAt(height, width)),
    stats: {
      evaluations: plan.done,
      elapsedMs: performance.now() - started,
      loss: finalLoss!,
      seed: options.seed,
      backend: engine.name,
      scales: scaleStats,
    },
  };
}

/**
 * Style images at `styleScale` times the result's size. Under the notebook normalisation the Gram
 * matrices are not divided by their positions, so the style must have exactly the result's positions.
 */
function resizeStyle(rgb: FloatImage, height: number, width: number, o: ResolvedOptions): FloatImage {
  if (o.normalization === 'notebook') return resizeImage(rgb, Math.round(height * o.styleScale), Math.round(width * o.styleScale));
  const [h, w] = fitLongestSide(rgb.height, rgb.width, Math.round(Math.max(height, width) * o.styleScale));
  return resizeImage(rgb, h, w);
}

function initialImage(contentInput: VggImage, o: ResolvedOptions, initRgb: FloatImage | undefined): VggImage {
  const { height, width } = contentInput;
  if (o.init === 'image') return toVggInput(resizeImage(initRgb!, height, width));
  if (o.init === 'content') return { height, width, data: contentInput.data.slice() };
  const noise = toVggInput({ height, width, data: uniformNoise(contentInput.data.length, o.seed, 0, 255) });
  if (o.init === 'random') return noise;
  const data = contentInput.data.map((c, i) => c * (1 - o.noise) + noise.data[i] * o.noise);
  return { height, width, data };
}

function createOptimizer(o: ResolvedOptions, lbfgsHistory: number): Optimizer {
  return o.optimizer === 'lbfgs' ? createLbfgs({ historySize: lbfgsHistory, restartEvery: o.restartEvery }) : createAdam({ learningRate: o.learningRate });
}

/**
 * The coarsest scale's first preview comes with its 5th evaluation (by then L-BFGS has taken a step or two
 * away from the start, the content; at 128 px five evaluations take well under a second on onnx-cpu), or
 * sooner, with the first evaluation after the start once FIRST_PREVIEW_MS have passed since the run began:
 * where evaluations are slow (the plugins' WebAssembly, 0.9 s each at 128 px) five would take 4–5 s.
 */
export const FIRST_PREVIEW_AT = 5;
export const FIRST_PREVIEW_MS = 1000;

interface Plan {
  started: number;
  sizes: Array<[number, number]>;
  /** Each scale's evaluation cost against the others' (evaluationCosts: tiles cost more per pixel). */
  costs: number[];
  budgets: number[];
  done: number;
  /** Whether a preview has been sent. */
  previewed?: boolean;
}

/** Counts evaluations, reports progress with an ETA, delivers previews and snapshots; `resumed`: the scale's evaluations before a resume. */
function createProgressTracker(
  plan: Plan,
  scale: number,
  height: number,
  width: number,
  o: ResolvedOptions,
  callbacks: StylizeCallbacks,
  toRgb: (x: VggImage) => FloatImage,
  alphaAt: (height: number, width: number) => Float32Array | undefined,
  resumed?: { evaluations: number; bestTerms?: LossValues },
) {
  const scaleStarted = performance.now();
  const totalEvaluations = plan.budgets.reduce((a, b) => a + b, 0);
  const evaluationsBefore = resumed?.evaluations ?? 0;
  let evaluation = evaluationsBefore;
  // The terms of the first evaluation with the lowest finite total: the optimiser's best point.
  let best = resumed?.bestTerms;
  let last: LossValues | undefined;

  const imageOf = (x: Float32Array, maxSide?: number) => {
    const full = toRgb({ height, width, data: x });
    if (!maxSide || Math.max(height, width) <= maxSide) return rgbToRgba(full, alphaAt(height, width));
    const [h, w] = fitLongestSide(height, width, maxSide);
    return rgbToRgba(resizeImage(full, h, w), alphaAt(h, w));
  };

  return {
    async record(x: Float32Array, loss: LossValues) {
      evaluation++;
      plan.done++;
      last = loss;
      if (Number.isFinite(loss.total) && !(best && best.total <= loss.total)) best = loss;
      const msPerEvaluation = (performance.now() - scaleStarted) / (evaluation - evaluationsBefore);
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
        etaMs: estimateTimeLeft(plan.costs, plan.budgets, scale, evaluation, msPerEvaluation),
      };
      const sooner = !plan.previewed && evaluation > 1 && progress.elapsedMs >= FIRST_PREVIEW_MS;
      const early = scale === 0 ? evaluation === FIRST_PREVIEW_AT || sooner : evaluation === 1;
      if (callbacks.previewEvery && (evaluation % callbacks.previewEvery === 0 || early)) {
        progress.preview = imageOf(x, callbacks.previewMaxSide ?? 256);
        plan.previewed = true;
      }
      await callbacks.onProgress?.(progress);
      if (o.snapshotEvery > 0 && evaluation % o.snapshotEvery === 0 && callbacks.onSnapshot) {
        await callbacks.onSnapshot(imageOf(x), progress);
      }
    },
    /** The terms of the optimiser's best point (undefined while no total was finite). */
    bestTerms: () => best,
    lastTerms: () => last!,
  };
}
