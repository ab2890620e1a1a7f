import type { RgbaImage } from '../image/types.ts';
import type { StylizeOptions } from './optionsSchema.ts';
import { PasticheInputError } from './PasticheInputError.ts';
import type { StyleInput, StylizeRequest } from './types.ts';

/** A texture's size in px: what `--texture WxH` and the panels' texture field give. */
export interface TextureSize {
  width: number;
  height: number;
}

/** A texture: the style(s) alone, painted at width × height (longest side options.size, if given). */
export interface TextureRequest extends TextureSize {
  styles: StyleInput[];
  options?: StylizeOptions;
}

/** Each side of a texture, in px. */
export const TEXTURE_SIDE = { min: 16, max: 8192 } as const;

/**
 * A texture's size as people type it, "WxH" (also "W×H", "W x H") or one side N for N×N; the CLI's
 * `--texture` and the panels' texture field both read it here. Errors name `texture`.
 */
export function parseTextureSize(text: string): TextureSize {
  const match = /^(\d+)(?:\s*[x×]\s*(\d+))?$/i.exec(text.trim());
  if (!match) throw new PasticheInputError('texture', `expected WxH in px (e.g. 512x512) or one side N, got "${text}"`);
  const size = { width: Number(match[1]), height: Number(match[2] ?? match[1]) };
  checkTextureSize(size);
  return size;
}

function checkTextureSize({ width, height }: TextureSize): void {
  if (![width, height].every((n) => Number.isInteger(n) && n >= TEXTURE_SIDE.min && n <= TEXTURE_SIDE.max)) {
    throw new PasticheInputError('texture', `each side must be ${TEXTURE_SIDE.min} to ${TEXTURE_SIDE.max} px, got ${width}×${height}`);
  }
}

/**
 * Gatys et al.'s (2015) texture synthesis as a stylize request: nothing to keep (content weight 0) and a start
 * from noise, so the style terms alone shape the image; the canvas, a flat grey, gives only the size (with no
 * detail for the later scales to restore). With options.seamless the texture tiles. Settings that read the
 * content (a content weight, a start from it, its colours) are refused by name.
 */
export function textureRequest({ width, height, styles, options = {} }: TextureRequest): StylizeRequest {
  checkTextureSize({ width, height });
  if (options.contentWeight !== undefined && options.contentWeight !== 0) throw new PasticheInputError('options.contentWeight', 'a texture has no content to keep: leave the content weight out (or 0)');
  if (options.init !== undefined && options.init !== 'random') throw new PasticheInputError('options.init', `a texture starts from noise; init "${options.init}" needs a content`);
  if (options.preserveColors) throw new PasticheInputError('options.preserveColors', 'a texture has no content whose colours to keep');
  const data = new Uint8Array(width * height * 4).fill(128);
  const canvas: RgbaImage = { width, height, data: data.map((v, i) => (i % 4 === 3 ? 255 : v)) };
  return { content: canvas, styles, options: { ...options, size: options.size ?? Math.max(width, height), contentWeight: 0, init: 'random' } };
}
