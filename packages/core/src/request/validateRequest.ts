import { Value } from '@sinclair/typebox/value';
import type { RgbaImage } from '../image/types.ts';
import { DEFAULT_OPTIONS, DEFAULT_WEIGHTS } from './defaults.ts';
import { describeSchemaError } from './describeSchemaError.ts';
import { StylizeOptionsSchema, type StylizeOptions } from './optionsSchema.ts';
import { PasticheInputError } from './PasticheInputError.ts';
import type { ResolvedRequest, StylizeRequest } from './types.ts';

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
    return { image: style.image, weight };
  });
  if (!styles.some((s) => s.weight > 0)) throw new PasticheInputError('styles', 'at least one style weight must be above 0');
  return { content: request.content, styles, options };
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
    ...input,
    seed: input.seed ?? Math.floor(Math.random() * 2 ** 32),
  };
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
  const evaluations = Array.isArray(options.evaluations) ? options.evaluations : Array(options.scales).fill(options.evaluations);
  if (evaluations.length !== options.scales) {
    throw new PasticheInputError('options.evaluations', `expected one budget per scale (${options.scales}), got ${evaluations.length}`);
  }
  const coarsest = Math.round(options.size / 2 ** (options.scales - 1));
  if (coarsest < 16) {
    throw new PasticheInputError('options.scales', `${options.scales} scales from ${options.size} px make the coarsest ${coarsest} px; at least 16 px`);
  }
  return {
    ...options,
    contentLayers: [...options.contentLayers],
    styleLayers,
    styleLayerWeights,
    evaluations,
  };
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
