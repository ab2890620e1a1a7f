import type { RgbaImage } from '../image/types.ts';
import type { StylizeOptions } from './optionsSchema.ts';
import { PasticheInputError } from './PasticheInputError.ts';
import type { StyleInput, StylizeRequest } from './types.ts';

/** A texture: the style(s) alone, painted at width × height (longest side options.size, if given). */
export interface TextureRequest {
  width: number;
  height: number;
  styles: StyleInput[];
  options?: StylizeOptions;
}

/**
 * Gatys et al.'s (2015) texture synthesis as a stylize request: nothing to keep (content weight 0) and a start
 * from noise, so the style terms alone shape the image; the canvas, a flat grey, gives only the size (with no
 * detail for the later scales to restore). With options.seamless the texture tiles. Settings that read the
 * content (a content weight, a start from it, its colours) are refused by name.
 */
export function textureRequest({ width, height, styles, options = {} }: TextureRequest): StylizeRequest {
  for (const [side, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 16 || value > 8192) throw new PasticheInputError(`texture.${side}`, `expected an integer from 16 to 8192 px, got ${value}`);
  }
  if (options.contentWeight !== undefined && options.contentWeight !== 0) throw new PasticheInputError('options.contentWeight', 'a texture has no content to keep: leave the content weight out (or 0)');
  if (options.init !== undefined && options.init !== 'random') throw new PasticheInputError('options.init', `a texture starts from noise; init "${options.init}" needs a content`);
  if (options.preserveColors) throw new PasticheInputError('options.preserveColors', 'a texture has no content whose colours to keep');
  const data = new Uint8Array(width * height * 4).fill(128);
  const canvas: RgbaImage = { width, height, data: data.map((v, i) => (i % 4 === 3 ? 255 : v)) };
  return { content: canvas, styles, options: { ...options, size: options.size ?? Math.max(width, height), contentWeight: 0, init: 'random' } };
}
