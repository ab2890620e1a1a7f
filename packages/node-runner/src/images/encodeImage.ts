import sharp from 'sharp';
import type { RgbaImage } from '@pastiche/core';

export const WRITABLE_FORMATS = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' } as const;
export type WritableFormat = (typeof WRITABLE_FORMATS)[keyof typeof WRITABLE_FORMATS];

/** The output format for a file name, or undefined if its extension is not one we write. */
export function formatForPath(path: string): WritableFormat | undefined {
  const ext = /\.[^./\\]+$/.exec(path.toLowerCase())?.[0];
  return ext ? WRITABLE_FORMATS[ext as keyof typeof WRITABLE_FORMATS] : undefined;
}

export async function encodeImage(image: RgbaImage, format: WritableFormat): Promise<Buffer> {
  const raw = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
  if (format === 'jpeg') return raw.flatten().jpeg({ quality: 92, mozjpeg: true }).toBuffer();
  if (format === 'webp') return raw.webp({ quality: 92 }).toBuffer();
  return raw.png().toBuffer();
}
