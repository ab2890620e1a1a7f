export type NormalizationName = 'scale-invariant' | 'notebook';

/** How each loss term is scaled; the loss functions apply these factors to plain sums. */
export interface Normalization {
  /** Divisor of a Gram matrix computed over `positions` feature positions. */
  gramDivisor(positions: number): number;
  /** Factor on Σ(G − A)² at a layer with `channels` channels, for an image `height` × `width`. */
  styleFactor(channels: number, height: number, width: number): number;
  /** Factor on Σ(F − P)² over a feature map of `elements` values. */
  contentFactor(elements: number): number;
  /** Factor on the TV sum for an image `height` × `width`. */
  tvFactor(height: number, width: number): number;
  /**
   * How the objective's curvature along one pixel scales with the image's pixel count N: as N^exponent.
   * Multi-scale runs carry L-BFGS's step scale from one size to the next with it.
   */
  curvatureExponent: number;
}

export const NORMALIZATIONS: Record<NormalizationName, Normalization> = {
  /**
   * The reference notebooks' objective term for term: raw sums, and the style term divided by
   * 4·3²·(H·W)² with H, W the image size.
   */
  notebook: {
    gramDivisor: () => 1,
    styleFactor: (_channels, height, width) => 1 / (4 * 9 * (height * width) ** 2),
    contentFactor: () => 1,
    tvFactor: () => 1,
    curvatureExponent: 0, // raw sums: content and TV curvature per pixel do not depend on N
  },
  /**
   * Every term a mean, so the balance does not depend on resolution: Grams divided by their positions
   * (feature statistics, also comparable between style and content images of different sizes), content
   * and style as mean squared differences, TV as a per-pixel mean. Pixel differences are left as they
   * are: photographs have detail at every scale (a roughly 1/f spectrum), so their per-pixel differences
   * hardly shrink as the resolution grows; rescaling them as for a smooth image made the TV term 400×
   * heavier at 1024 px than at 128 px on a real photo.
   */
  'scale-invariant': {
    gramDivisor: (positions) => positions,
    styleFactor: (channels) => 1 / (channels * channels),
    contentFactor: (elements) => 1 / elements,
    tvFactor: (height, width) => 1 / Math.max(1, (height - 1) * (width - 1)),
    curvatureExponent: -1, // means over N pixels
  },
};
