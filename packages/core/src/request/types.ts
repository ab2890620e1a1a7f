import type { StylizeCheckpoint } from '../checkpoint/StylizeCheckpoint.ts';
import type { RgbaImage } from '../image/types.ts';
import type { StylizeOptions } from './optionsSchema.ts';

export interface StyleInput {
  image: RgbaImage;
  /** Blend weight, ≥ 0; the weights of all styles are normalised to sum 1. Default 1. */
  weight?: number;
  /**
   * Where this style paints, stretched to the content's size: luma times alpha per pixel (white paints, black
   * or transparent does not, grey in between). Absent: everywhere, blended with the other unmasked styles.
   */
  mask?: RgbaImage;
}

export interface StylizeRequest {
  content: RgbaImage;
  styles: StyleInput[];
  /** How strongly the content is kept at each pixel, read like a style's mask; absent: everywhere fully. */
  contentMask?: RgbaImage;
  /** Where the run starts when options.init is 'image' (an earlier result, to refine it): stretched to the first scale's size. */
  initImage?: RgbaImage;
  options?: StylizeOptions;
  /**
   * Continue this checkpoint (callbacks.onCheckpoint's) rather than start afresh: the request must be the same run
   * (same images, options and engine; an absent seed is the checkpoint's), or stylize throws a CheckpointError naming
   * the difference. The run takes the checkpoint's optimiser arrays over (takeOptimizerState): it resumes once.
   */
  resume?: StylizeCheckpoint;
}

import type { ResolvedOptions } from './ResolvedOptions.ts';

export type { ResolvedOptions };

export interface ResolvedRequest {
  content: RgbaImage;
  styles: Array<{ image: RgbaImage; weight: number; mask?: RgbaImage }>;
  contentMask?: RgbaImage;
  initImage?: RgbaImage;
  options: ResolvedOptions;
}
