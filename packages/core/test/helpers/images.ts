import path from 'node:path';
import sharp from 'sharp';
import type { RgbaImage } from '../../src/index.ts';
import { IMAGES_DIR } from './paths.ts';
import { mulberry32 } from './random.ts';

/**
 * An example image from ../shared/images as RGBA bytes, optionally resized by sharp so that its longest
 * side is `longestSide` (aspect ratio kept).
 */
export async function loadImage(name: string, longestSide?: number): Promise<RgbaImage> {
  let pipeline = sharp(path.join(IMAGES_DIR, name));
  if (longestSide) pipeline = pipeline.resize({ width: longestSide, height: longestSide, fit: 'inside' });
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`${name}: expected 4 channels, got ${info.channels}`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** A seeded synthetic RGBA image: smooth colour gradients with some texture, alpha opaque. */
export function syntheticImage(width: number, height: number, seed = 1): RgbaImage {
  const next = mulberry32(seed);
  const phase = [next(), next(), next()].map((p) => p * 2 * Math.PI);
  const freq = [1 + 3 * next(), 1 + 3 * next(), 1 + 3 * next()];
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      for (let c = 0; c < 3; c++) {
        const wave = Math.sin((freq[c] * (x + (c + 1) * y)) / Math.max(width, height) * 2 * Math.PI + phase[c]);
        data[i + c] = Math.max(0, Math.min(255, Math.round(128 + 90 * wave + 40 * (next() - 0.5))));
      }
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}
