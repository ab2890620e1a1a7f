import type { RgbaImage } from '@pastiche/core';

/** Raw RGBA pixels as a PNG, as the engines take images (a texture's canvas, made by the core). */
export async function encodeRgbaPng(image: RgbaImage): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}
