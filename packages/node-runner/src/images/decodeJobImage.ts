import sharp from 'sharp';
import { PasticheInputError, type RgbaImage } from '@pastiche/core';
import { decodeImage, READABLE_FORMATS } from './readImageFile.ts';
import { limitExceeded } from '../errors/HttpError.ts';

export interface ImageLimits {
  maxSide: number;
  maxPixels: number;
}

/**
 * Decodes one uploaded image (its bytes, or the path of the file that holds them), shrunk to `fitSide`, after checking its header (format, width, height) against
 * the limits, so an oversized or hostile file is refused before any pixel is decoded. `field` names it in
 * errors (`content`, `styles[1]`).
 */
export async function decodeJobImage(source: Uint8Array | string, field: string, limits: ImageLimits, fitSide: number): Promise<RgbaImage> {
  let width: number | undefined;
  let height: number | undefined;
  let format: string | undefined;
  try {
    ({ width, height, format } = await sharp(source, { limitInputPixels: false }).metadata());
  } catch (error) {
    throw new PasticheInputError(field, `not an image this runner can read (PNG, JPEG, WebP, …): ${withoutPath(firstLine(error), source, field)}`);
  }
  if (!format || !READABLE_FORMATS.includes(format) || !width || !height) {
    throw new PasticheInputError(field, `not an image this runner can read (PNG, JPEG, WebP, …): format ${format ?? 'unknown'}`);
  }
  if (Math.max(width, height) > limits.maxSide) {
    throw limitExceeded(field, 'maxSide', limits.maxSide, `the image is ${width}×${height}, its longest side is above ${limits.maxSide} px`);
  }
  if (width * height > limits.maxPixels) {
    throw limitExceeded(field, 'maxPixels', limits.maxPixels, `the image is ${width}×${height} = ${width * height} pixels, above ${limits.maxPixels}`);
  }
  try {
    return await decodeImage(source, field, fitSide);
  } catch (error) {
    throw new PasticheInputError(field, withoutPath(firstLine(error), source, field).replace(`${field} `, ''));
  }
}

function firstLine(error: unknown) {
  return String((error as Error)?.message ?? error).split('\n')[0];
}

/** sharp's messages may name the file it read: a client is told the field, never a path of this machine. */
function withoutPath(message: string, source: Uint8Array | string, field: string) {
  return typeof source === 'string' ? message.split(source).join(field) : message;
}
