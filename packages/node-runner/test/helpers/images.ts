import sharp from 'sharp';

/** A smooth gradient, PNG. */
export async function gradientPng(width: number, height: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 128], (y * width + x) * 3);
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer());
}

/** Hard-edged diagonal stripes, JPEG. */
export async function stripesJpeg(width: number, height: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set((x + y) % 8 < 4 ? [240, 200, 20] : [20, 30, 160], (y * width + x) * 3);
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg().toBuffer());
}
