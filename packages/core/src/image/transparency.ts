import { resizeImage } from './resizeImage.ts';
import type { FloatImage, RgbaImage } from './types.ts';

/**
 * A content with transparency (a cut-out, an icon) is painted whole and given its alpha back. What its
 * transparent pixels hold (black, often, or whatever the exporter left) is not part of the picture, yet the
 * network sees it, and the style and TV terms would carry it into the edges. So before painting, those
 * colours are replaced by the opaque colours around them, continued smoothly outwards (push–pull, as in
 * Gortler et al. 1996's Lumigraph): the subject's edges meet their own colours, and paint as its interior
 * does. Partly transparent pixels are their colour composited over that continuation, as they would show
 * over it. The result is then given the content's alpha, resized as the content is.
 */

/** Whether any pixel is less than opaque. */
export function hasTransparency(image: RgbaImage): boolean {
  for (let p = 3; p < image.data.length; p += 4) if (image.data[p] < 255) return true;
  return false;
}

/** Alpha 0–1 in three equal channels, so that resizeImage (and maskAt) resize it as the content is resized. */
export function alphaOf(image: RgbaImage): FloatImage {
  const data = new Float32Array(image.width * image.height * 3);
  for (let p = 0; p < image.width * image.height; p++) data.fill(image.data[4 * p + 3] / 255, 3 * p, 3 * p + 3);
  return { width: image.width, height: image.height, data };
}

/** Colours composited over the continuation of the opaque ones (see above); opaque pixels unchanged. RGB 0–255, alpha dropped. */
export function fillTransparent(image: RgbaImage): FloatImage {
  const { width, height } = image;
  const colour = new Float32Array(width * height * 3);
  const weight = new Float32Array(width * height);
  for (let p = 0; p < width * height; p++) {
    weight[p] = image.data[4 * p + 3] / 255;
    for (let c = 0; c < 3; c++) colour[3 * p + c] = image.data[4 * p + c];
  }
  return { width, height, data: pushPull({ width, height, colour, weight }) };
}

interface Level {
  width: number;
  height: number;
  /** RGB; where weight is 0, unknown. */
  colour: Float32Array;
  /** 0–1: how much of the colour is known. */
  weight: Float32Array;
}

/**
 * Pull: each coarser pixel is the weighted mean of the (up to) four under it, its weight their mean weight.
 * Push: each pixel, finest last, becomes its colour over the coarser level's (bilinearly upsampled, so that
 * the continuation is smooth), by its weight. Where nothing is known at all (a fully transparent image)
 * the colour is mid grey. Returns the filled colours.
 */
function pushPull(level: Level): Float32Array {
  const { width, height, colour, weight } = level;
  if (width === 1 && height === 1) return weight[0] > 0 ? colour : new Float32Array(3).fill(128);
  const [w2, h2] = [Math.ceil(width / 2), Math.ceil(height / 2)];
  const coarse: Level = { width: w2, height: h2, colour: new Float32Array(w2 * h2 * 3), weight: new Float32Array(w2 * h2) };
  for (let y = 0; y < h2; y++) {
    for (let x = 0; x < w2; x++) {
      let [sum, count] = [0, 0];
      const rgb = [0, 0, 0];
      for (const [yy, xx] of [[2 * y, 2 * x], [2 * y, 2 * x + 1], [2 * y + 1, 2 * x], [2 * y + 1, 2 * x + 1]]) {
        if (yy >= height || xx >= width) continue;
        const p = yy * width + xx;
        count++;
        sum += weight[p];
        for (let c = 0; c < 3; c++) rgb[c] += weight[p] * colour[3 * p + c];
      }
      const q = y * w2 + x;
      coarse.weight[q] = sum / count;
      if (sum > 0) for (let c = 0; c < 3; c++) coarse.colour[3 * q + c] = rgb[c] / sum;
    }
  }
  const under = resizeImage({ width: w2, height: h2, data: pushPull(coarse) }, height, width).data;
  const out = new Float32Array(colour.length);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) out[3 * p + c] = weight[p] * colour[3 * p + c] + (1 - weight[p]) * under[3 * p + c];
  }
  return out;
}
