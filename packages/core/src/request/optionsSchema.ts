import { Type, type Static } from '@sinclair/typebox';
import { BYTES_PATTERN } from '../plan/parseBytes.ts';

const layerList = (description: string) =>
  Type.Array(Type.String({ pattern: '^block[1-5]_conv[1-4]$' }), { minItems: 1, maxItems: 16, uniqueItems: true, description });
const weight = (description: string) => Type.Number({ minimum: 0, maximum: 1e12, description });

/**
 * Every setting of a run: one JSON schema shared by the core's validation, the CLI, the runner's HTTP
 * routes and the plugins' messages. Every field is optional; defaults live in defaults.ts.
 */
export const StylizeOptionsSchema = Type.Partial(
  Type.Object(
  {
    size: Type.Integer({ minimum: 16, maximum: 8192, description: 'longest side of the result, px' }),
    model: Type.Union([Type.Literal('vgg16'), Type.Literal('vgg19')], { description: 'feature network' }),
    pooling: Type.Union([Type.Literal('max'), Type.Literal('avg')], { description: 'pooling between blocks; avg paints smoother' }),
    contentLayers: layerList('layers whose features the result keeps from the content'),
    contentWeight: weight('weight of the content term'),
    styleLayers: layerList('layers whose Gram matrices the result takes from the styles'),
    styleLayerWeights: Type.Array(weight('weight of one style layer'), { minItems: 1, maxItems: 16, description: 'one weight per style layer (normalised to sum 1)' }),
    styleWeight: weight('weight of the style term'),
    tvWeight: weight('weight of the total variation (smoothness) term'),
    normalization: Type.Union([Type.Literal('scale-invariant'), Type.Literal('notebook')], {
      description: 'scale-invariant: same look at any size; notebook: the reference notebooks’ objective',
    }),
    styleLoss: Type.Union([Type.Literal('gram'), Type.Literal('wasserstein')], {
      description: 'gram: Gram matrices (Gatys et al.); wasserstein: the Wasserstein-2 distance of the features’ means and covariances, truer colours (scale-invariant normalization only)',
    }),
    optimizer: Type.Union([Type.Literal('lbfgs'), Type.Literal('adam')], { description: 'optimiser' }),
    lbfgsHistory: Type.Integer({ minimum: 1, maximum: 100, description: 'L-BFGS history size m' }),
    restartEvery: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'L-BFGS: clear the history every N evaluations (notebooks: 20)' }),
    learningRate: Type.Number({ exclusiveMinimum: 0, maximum: 1e6, description: 'Adam step size, in pixel units' }),
    schedule: Type.Union([Type.Literal('auto'), Type.Literal('preview'), Type.Literal('fixed')], {
      description: 'auto: scales from 128–256 px doubling up to size, each ending when its loss stops falling (the default unless evaluations or scales are given); preview: the same scales, fewer evaluations at the last (the panels’ Preview); fixed: exactly scales and evaluations',
    }),
    evaluations: Type.Union(
      [
        Type.Integer({ minimum: 1, maximum: 100_000 }),
        Type.Array(Type.Integer({ minimum: 1, maximum: 100_000 }), { minItems: 1, maxItems: 8 }),
      ],
      { description: 'evaluation budget per scale (one number for every scale, or one per scale); implies schedule fixed' },
    ),
    init: Type.Union([Type.Literal('content'), Type.Literal('random'), Type.Literal('noisy-content'), Type.Literal('image')], {
      description: 'starting image; "image" is the request\'s initImage, an earlier result to refine (the CLI\'s --init FILE)',
    }),
    noise: Type.Number({ minimum: 0, maximum: 1, description: 'share of noise in a noisy-content start' }),
    seed: Type.Integer({ minimum: 0, maximum: 4294967295, description: 'random seed (same seed, same backend → same image)' }),
    preserveColors: Type.Boolean({ description: 'transfer luminance only and keep the content’s colours' }),
    seamless: Type.Boolean({ description: 'a seamless pattern: the result tiles without a visible seam (wrap-around padding; sides rounded to a multiple of 2^pools, e.g. 4 through block 3)' }),
    styleScale: Type.Number({ minimum: 0.05, maximum: 8, description: 'size of the style images relative to the result' }),
    scales: Type.Integer({ minimum: 1, maximum: 8, description: 'coarse-to-fine scales, each half the next (1 = single scale); implies schedule fixed' }),
    snapshotEvery: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'deliver an image every N evaluations (0 = never)' }),
    maxMemory: Type.Union([Type.Integer({ minimum: 2 ** 26 }), Type.String({ pattern: BYTES_PATTERN })], {
      description: 'memory the run may use, e.g. 1.5GB (bytes, or with KB/MB/GB/TB, binary units); scales that would not fit are evaluated in tiles',
    }),
    tileSize: Type.Integer({ minimum: 32, maximum: 8192, description: 'evaluate in tiles of this side, px (the same result; for tests and tuning)' }),
  },
    { additionalProperties: false },
  ),
);

export type StylizeOptions = Static<typeof StylizeOptionsSchema>;
