import { createRequire } from 'node:module';
import type { RgbaImage } from '@pastiche/core';

// gifenc's CommonJS build has no named exports Node can detect; require() reads it the same everywhere.
const { GIFEncoder, applyPalette, quantize } = createRequire(import.meta.url)('gifenc') as typeof import('gifenc');

/** An animated GIF of equally sized frames, each with its own 256-colour palette; the last one lingers. */
export function encodeGif(frames: RgbaImage[], frameDelayMs = 150, lastFrameDelayMs = 1500): Uint8Array {
  if (frames.length === 0) throw new Error('a GIF needs at least one frame');
  const gif = GIFEncoder();
  frames.forEach((frame, i) => {
    const rgba = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
    const palette = quantize(rgba, 256);
    const index = applyPalette(rgba, palette);
    gif.writeFrame(index, frame.width, frame.height, { palette, delay: i === frames.length - 1 ? lastFrameDelayMs : frameDelayMs });
  });
  gif.finish();
  return gif.bytes();
}
