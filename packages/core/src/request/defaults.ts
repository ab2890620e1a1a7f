import type { NormalizationName } from '../losses/normalization.ts';
import type { StylizeOptions } from './optionsSchema.ts';

/** Every option's default, in one place. */
export const DEFAULT_OPTIONS = {
  size: 512,
  model: 'vgg16',
  pooling: 'max',
  contentLayers: ['block2_conv2'],
  styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3', 'block4_conv3', 'block5_conv3'],
  normalization: 'scale-invariant',
  optimizer: 'lbfgs',
  lbfgsHistory: 10,
  learningRate: 10,
  evaluations: 200,
  init: 'content',
  noise: 0.2,
  preserveColors: false,
  styleScale: 1,
  scales: 1,
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
