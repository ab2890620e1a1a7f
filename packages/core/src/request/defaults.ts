import type { NormalizationName } from '../objective/normalization.ts';
import type { StylizeOptions } from './optionsSchema.ts';

/** Every option's default, in one place. */
export const DEFAULT_OPTIONS = {
  size: 512,
  model: 'vgg16',
  pooling: 'max',
  contentLayers: ['block2_conv2'],
  styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3', 'block4_conv3', 'block5_conv3'],
  normalization: 'scale-invariant',
  styleLoss: 'gram',
  optimizer: 'lbfgs',
  learningRate: 10,
  // With schedule fixed: today's single scale of 200 evaluations (the notebooks' count).
  evaluations: 200,
  init: 'content',
  noise: 0.2,
  preserveColors: false,
  seamless: false,
  styleScale: 1,
  scales: 1,
  // Unless evaluations or scales are given (validateOptions): see plan/planSchedule.ts.
  schedule: 'auto',
  snapshotEvery: 0,
} as const satisfies Partial<StylizeOptions>;

/** Loss weights depend on the normalisation: each set gives a balanced result under its own scaling. */
export const DEFAULT_WEIGHTS: Record<NormalizationName, { contentWeight: number; styleWeight: number; tvWeight: number }> = {
  // The reference notebooks' values (512×512, VGG16).
  notebook: { contentWeight: 0.025, styleWeight: 5, tvWeight: 1 },
  // Chosen by eye at 256 px (Tübingen × Starry Night): a strong style with the content clearly readable;
  // near what the notebook weights amount to at 512 px once their sums are turned into means.
  'scale-invariant': { contentWeight: 1, styleWeight: 1e-3, tvWeight: 1 },
};

/**
 * The style weight of the Wasserstein style loss (scale-invariant only): its terms are distances between
 * means and covariances, far smaller numbers than Gram differences. Chosen by looking, for a strength like
 * Gram's default: 10 with the 12-step Newton–Schulz loss, 20 with the exact distance (two pairs at 128 px, blocks
 * 1–3): docs/style-loss.md.
 */
export const WASSERSTEIN_STYLE_WEIGHT = 20;

/**
 * L-BFGS history when none is asked for: as many curvature pairs as fit in 512 MiB, between 10 (scipy's
 * default) and 30. Measured at 256 px from the content: 30 pairs reach the loss that 10 pairs reach after
 * 200 evaluations in about 170. Each pair holds two image-sized float32 vectors, so a 2048 px render
 * (75 MB a pair) keeps 10 and a 512 px one keeps 30 (5 MB a pair).
 */
export function defaultLbfgsHistory(pixels: number): number {
  const pairBytes = 2 * 3 * 4 * pixels;
  return Math.min(30, Math.max(10, Math.floor((512 * 2 ** 20) / pairBytes)));
}
