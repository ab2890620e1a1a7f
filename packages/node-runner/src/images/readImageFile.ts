import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { RgbaImage } from '@pastiche/core';

/** Formats sharp reads for us; anything else is refused by name. */
export const READABLE_FORMATS = ['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif', 'heif'];

/**
 * Decodes image bytes (or the file at a path) into RGBA, honouring EXIF orientation, optionally shrunk (never enlarged) to fit
 * `maxSide` with a high-quality filter. `what` names the input in errors ("--style b.jpg").
 */
export async function decodeImage(bytes: Uint8Array | string, what: string, maxSide?: number): Promise<RgbaImage> {
  let pipeline: sharp.Sharp;
  try {
    pipeline = sharp(bytes, { failOn: 'error' });
    const { format } = await pipeline.metadata();
    if (!format || !READABLE_FORMATS.includes(format)) throw new Error(`unsupported format ${format ?? 'unknown'}`);
  } catch (error) {
    throw new Error(`${what} is not an image this tool can read (PNG, JPEG, WebP, …): ${firstLine(error)}`);
  }
  try {
    pipeline = pipeline.rotate();
    if (maxSide) pipeline = pipeline.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
    const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    throw new Error(`${what} could not be decoded (truncated or corrupt?): ${firstLine(error)}`);
  }
}

export async function readImageFile(path: string, what: string, maxSide?: number): Promise<RgbaImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'permission denied' : firstLine(error);
    throw new Error(`${what}: cannot read ${path}: ${reason}`);
  }
  return decodeImage(bytes, `${what} ${path}`, maxSide);
}

function firstLine(error: unknown) {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
