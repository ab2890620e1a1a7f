/** Pixels as ImageData has them: RGBA, 8 bits per channel, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * Three float channels per pixel, row-major (data.length = height · width · 3): RGB 0–255 (unclipped)
 * or VGG input (the engine's VggImage has this layout).
 */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}
