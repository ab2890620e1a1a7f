import { Value } from '@sinclair/typebox/value';
import { maskIsEmpty } from '../image/maskWeights.ts';
import type { RgbaImage } from '../image/types.ts';
import { DEFAULT_OPTIONS, DEFAULT_WEIGHTS, WASSERSTEIN_STYLE_WEIGHT } from './defaults.ts';
import { describeSchemaError } from './describeSchemaError.ts';
import { StylizeOptionsSchema, type StylizeOptions } from './optionsSchema.ts';
import { PasticheInputError } from './PasticheInputError.ts';
import { parseBytes } from '../plan/parseBytes.ts';
import { checkStyleLoss } from '../plan/planObjective.ts';
import { planRefineSchedule, planSchedule, type PlannedSchedule } from '../plan/planSchedule.ts';
import type { ResolvedOptions, ResolvedRequest, StylizeRequest } from './types.ts';

type ImageShape = { height: number; width: number };

export const MAX_STYLES = 16;

/** Checks a whole request before any work starts and fills in the defaults. Throws PasticheInputError. */
export function validateRequest(request: StylizeRequest): ResolvedRequest {
  if (typeof request !== 'object' || request === null) throw new PasticheInputError('request', 'expected an object');
  const options = validateOptions(request.options ?? {});
  checkImage(request.content, 'content');
  if (!Array.isArray(request.styles) || request.styles.length === 0) {
    throw new PasticheInputError('styles', 'at least one style image is required');
  }
  if (request.styles.length > MAX_STYLES) {
    throw new PasticheInputError('styles', `at most ${MAX_STYLES} style images, got ${request.styles.length}`);
  }
  const styles = request.styles.map((style, i) => {
    checkImage(style?.image, `styles[${i}].image`);
    const weight = style.weight ?? 1;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new PasticheInputError(`styles[${i}].weight`, `expected a number ≥ 0, got ${String(weight)}`);
    }
    if (style.mask === undefined) return { image: style.image, weight };
    checkMask(style.mask, `styles[${i}].mask`, 'give the style no mask to paint it everywhere');
    return { image: style.image, weight, mask: style.mask };
  });
  if (!styles.some((s) => s.weight > 0)) throw new PasticheInputError('styles', 'at least one style weight must be above 0');
  if (request.contentMask !== undefined) checkMask(request.contentMask, 'contentMask', 'set contentWeight to 0 to keep none of the content');
  const resolved = planForImages(options, request.content, styles);
  const problem = workingSizeProblem(request.content, styles, resolved, resolved.scaleSides[0]);
  if (problem) throw problem;
  if (request.initImage !== undefined) checkImage(request.initImage, 'initImage');
  if ((options.init === 'image') !== (request.initImage !== undefined)) {
    throw new PasticheInputError('initImage', options.init === 'image' ? 'options.init is "image" but no initImage was given' : `an initImage was given but options.init is "${options.init}", not "image"`);
  }
  return { content: request.content, styles, ...(request.contentMask && { contentMask: request.contentMask }), ...(request.initImage && { initImage: request.initImage }), options: resolved };
}

/** Validates options alone (the CLI and the runner check settings before they have images). */
export function validateOptions(input: StylizeOptions): ResolvedRequest['options'] {
  const first = Value.Errors(StylizeOptionsSchema, input).First();
  if (first) {
    const { field, problem } = describeSchemaError(first, 'options', Object.keys(StylizeOptionsSchema.properties));
    throw new PasticheInputError(field, problem);
  }
  const normalization = input.normalization ?? DEFAULT_OPTIONS.normalization;
  const options = {
    ...DEFAULT_OPTIONS,
    ...DEFAULT_WEIGHTS[normalization],
    ...(input.styleLoss === 'wasserstein' && { styleWeight: WASSERSTEIN_STYLE_WEIGHT }),
    ...input,
    seed: input.seed ?? Math.floor(Math.random() * 2 ** 32),
  };
  checkStyleLoss(options);
  if (options.contentWeight === 0 && options.styleWeight === 0 && options.tvWeight === 0) {
    // The objective would not depend on the image: its gradient cannot be computed.
    throw new PasticheInputError('options', 'contentWeight, styleWeight and tvWeight are all 0; at least one must be above 0');
  }
  const styleLayers = [...options.styleLayers];
  const styleLayerWeights = input.styleLayerWeights ?? styleLayers.map(() => 1);
  if (styleLayerWeights.length !== styleLayers.length) {
    throw new PasticheInputError(
      'options.styleLayerWeights',
      `expected one weight per style layer (${styleLayers.length}), got ${styleLayerWeights.length}`,
    );
  }
  if (!styleLayerWeights.some((w) => w > 0)) throw new PasticheInputError('options.styleLayerWeights', 'at least one weight must be above 0');
  const fixedAsked = input.evaluations !== undefined || input.scales !== undefined;
  if (input.schedule !== undefined && input.schedule !== 'fixed' && fixedAsked) {
    const given = input.evaluations !== undefined ? 'evaluations' : 'scales';
    throw new PasticheInputError('options.schedule', `${input.schedule} chooses the scales and evaluations itself; leave out ${given} or use schedule fixed`);
  }
  const schedule = input.schedule ?? (fixedAsked ? 'fixed' : DEFAULT_OPTIONS.schedule);
  const common = {
    ...options,
    schedule,
    maxMemory: options.maxMemory === undefined ? undefined : parseBytes(options.maxMemory),
    contentLayers: [...options.contentLayers],
    styleLayers,
    styleLayerWeights,
  };
  if (schedule !== 'fixed') {
    // Before the images are known, as if square (validateRequest plans again with their shapes).
    const least = minimumSide([...common.contentLayers, ...styleLayers]).px;
    return { ...common, ...autoSchedule(common.size, schedule, (side) => side >= least, common.init === 'image') };
  }
  const evaluations = Array.isArray(options.evaluations) ? options.evaluations : Array(options.scales).fill(options.evaluations);
  if (evaluations.length !== options.scales) {
    throw new PasticheInputError('options.evaluations', `expected one budget per scale (${options.scales}), got ${evaluations.length}`);
  }
  const scaleSides = Array.from({ length: options.scales }, (_, i) => Math.round(options.size / 2 ** (options.scales - 1 - i)));
  if (scaleSides[0] < 16) {
    throw new PasticheInputError('options.scales', `${options.scales} scales from ${options.size} px make the coarsest ${scaleSides[0]} px; at least 16 px`);
  }
  return { ...common, evaluations, scaleSides };
}

/**
 * The auto (or preview) schedule again, now that the images' shapes are known: no scale too small for them
 * (the CLI's --dry-run gives the content's shape alone). The fixed schedule is returned as it is.
 */
export function planForImages(options: ResolvedOptions, content: ImageShape, styles: Array<{ image: ImageShape }> = []): ResolvedOptions {
  if (options.schedule === 'fixed') return options;
  return { ...options, ...autoSchedule(options.size, options.schedule, (side) => !workingSizeProblem(content, styles, options, side), options.init === 'image') };
}

/** The planned schedule's fields of the resolved options: one full-size scale when the run refines an image (init "image"). */
function autoSchedule(size: number, kind: PlannedSchedule, fits: (side: number) => boolean, refine: boolean) {
  const { sides, evaluations, plateau } = refine ? planRefineSchedule(size, kind) : planSchedule(size, fits, kind);
  return { scales: sides.length, scaleSides: sides, evaluations, plateau };
}

function checkImage(image: RgbaImage | undefined, field: string) {
  if (typeof image !== 'object' || image === null) throw new PasticheInputError(field, 'expected an RGBA image {width, height, data}');
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new PasticheInputError(field, `expected positive integer width and height, got ${width}×${height}`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray) || data.length !== width * height * 4) {
    throw new PasticheInputError(field, `expected ${width * height * 4} RGBA bytes for ${width}×${height}, got ${data?.length ?? 'none'}`);
  }
}

/** A mask is an image with some weight somewhere (an empty region would divide by its area, 0). */
function checkMask(mask: RgbaImage, field: string, remedy: string) {
  checkImage(mask, field);
  if (maskIsEmpty(mask)) throw new PasticheInputError(field, `the mask is empty (every pixel black or transparent); ${remedy}`);
}

/**
 * The shortest side, in px, an image may have where it goes through `layers`: VGG halves it with 'valid' 2×2
 * pooling before each block, so a layer of block k needs 2^(k−1) px, or a side reaches 0 there and a backend
 * fails or (threaded wasm) corrupts its memory for every later run.
 */
function minimumSide(layers: readonly string[]): { px: number; layer: string } {
  let deepest = { px: 1, layer: layers[0] };
  for (const layer of layers) {
    const block = Number(/^block(\d+)_/.exec(layer)?.[1] ?? 1);
    if (2 ** (block - 1) > deepest.px) deepest = { px: 2 ** (block - 1), layer };
  }
  return deepest;
}

/**
 * Whether every working image is large enough for the layers it goes through at the scale whose longest
 * side is `longest`: the content (through the content and the style layers: the image being painted goes
 * through both) and each style (through the style layers). The coarsest scale has the smallest images, so
 * it alone is checked. The sizes follow scaleSizes and stylize's resizeStyle (written out here: this module
 * stays free of TensorFlow.js for the hosts that validate without painting). Returns the error, or undefined.
 */
function workingSizeProblem(content: ImageShape, styles: Array<{ image: ImageShape }>, options: ResolvedOptions, longest: number): PasticheInputError | undefined {
  const at = options.scales > 1 ? `at the coarsest of ${options.scales} scales (${longest} px)` : `at ${longest} px`;
  const limit = ({ px, layer }: { px: number; layer: string }) => `every side must be at least ${px} px for ${layer} (the minimum working size)`;
  const [height, width] = fitLongestSide(content.height, content.width, longest);
  const contentMin = minimumSide([...options.contentLayers, ...options.styleLayers]);
  if (Math.min(height, width) < contentMin.px) {
    return new PasticheInputError('content', `the image is painted ${width}×${height} px ${at}; ${limit(contentMin)}: use a larger size or a less elongated image`);
  }
  const styleMin = minimumSide(options.styleLayers);
  const styleLongest = Math.round(Math.max(height, width) * options.styleScale);
  for (const [i, { image }] of styles.entries()) {
    const [h, w] =
      options.normalization === 'notebook'
        ? [Math.round(height * options.styleScale), Math.round(width * options.styleScale)]
        : fitLongestSide(image.height, image.width, styleLongest);
    if (Math.min(h, w) >= styleMin.px) continue;
    const [field, remedy] =
      options.normalization === 'notebook' || styleLongest < styleMin.px ? ['options.styleScale', 'a larger styleScale or size'] : [`styles[${i}].image`, 'a less elongated style image'];
    return new PasticheInputError(field, `style ${i + 1} is used at ${w}×${h} px ${at} (styleScale ${options.styleScale}); ${limit(styleMin)}: use ${remedy}`);
  }
  return undefined;
}

/** [height, width] with the longest side `longest`, as resizeImage's fitLongestSide computes it. */
function fitLongestSide(height: number, width: number, longest: number): [number, number] {
  const scale = longest / Math.max(height, width);
  return [Math.max(1, Math.round(height * scale)), Math.max(1, Math.round(width * scale))];
}
