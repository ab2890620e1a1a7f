import type { ObjectiveSettings } from '../../src/engines/types.ts';
import { uniform } from './random.ts';

/** The objective on the layers the blocks 1–3 weights have, with per-layer weights that differ. */
export const BLOCK3_SETTINGS: ObjectiveSettings = {
  pooling: 'max',
  normalization: 'scale-invariant',
  contentLayers: ['block2_conv2'],
  styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'],
  styleLayerWeights: [0.2, 0.3, 0.5],
  contentWeight: 1,
  styleWeight: 1e-3,
  tvWeight: 1,
};

/** A seeded VGG input image of uniform values in [−100, 100). */
export const randomVggImage = (height: number, width: number, seed: number) => ({ height, width, data: uniform(height * width * 3, seed, -100, 100) });
