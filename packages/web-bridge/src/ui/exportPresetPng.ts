import { dataUrlToBytes } from '../runner/dataUrlToBytes.ts';

/**
 * A preset's picture as a PNG fitted into `side` px (never enlarged), as the document's style layers are
 * exported for a run.
 */
export async function exportPresetPng(dataUrl: string, side: number): Promise<Uint8Array> {
  // Decoded here, not fetched: a plugin's network allowance (Figma's connect-src) may not cover data: URLs.
  const { bytes, mime } = dataUrlToBytes(dataUrl);
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  try {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const [width, height] = [Math.max(1, Math.round(bitmap.width * scale)), Math.max(1, Math.round(bitmap.height * scale))];
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d')!;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
  } finally {
    bitmap.close();
  }
}
