import { bytesToDataUrl } from './bytesToDataUrl.ts';

/**
 * The most image bytes sent into Photopea in one script. The result can only go in as a data: URL inside a
 * script (app.open, see placeImageScript), and a script is one string message: no documented way exists to
 * assemble it from several (a script keeps no state for the next), so it cannot be chunked. The base64 text
 * is a third bigger again, and is copied between the page and Photopea's frame and parsed as a script.
 */
export const MAX_PLACE_BYTES = 16 * 1024 * 1024;
const JPEG_QUALITY = 0.92;

export interface PlacingImage {
  url: string;
  /** Set when the image is not the PNG as painted: what was done, for the panel. */
  note?: string;
}

/**
 * The result as a data: URL of at most MAX_PLACE_BYTES: the PNG when it fits (up to about 2900 px square for
 * a painting, whose noise PNG barely compresses); else, for an opaque result, a JPEG at quality 92; else (or
 * still too big) a PNG shrunk until it fits. Photopea scales the layer to the content's size either way.
 */
export async function encodeForPlacing(png: Uint8Array, opaque: boolean, limit = MAX_PLACE_BYTES): Promise<PlacingImage> {
  if (png.length <= limit) return { url: await bytesToDataUrl(png, 'image/png') };
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const bitmap = await createImageBitmap(new Blob([png as BlobPart], { type: 'image/png' }));
  try {
    if (opaque) {
      const jpeg = await encode(bitmap, bitmap.width, bitmap.height, 'image/jpeg');
      if (jpeg.length <= limit) return { url: await bytesToDataUrl(jpeg, 'image/jpeg'), note: `Added as a JPEG (quality ${JPEG_QUALITY * 100}): as a PNG it was ${mb(png.length)}, over the ${mb(limit)} Pastiche sends to Photopea at once.` };
    }
    let scale = Math.sqrt(limit / png.length) * 0.95;
    for (let attempt = 0; attempt < 8; attempt++, scale *= 0.85) {
      const width = Math.max(1, Math.floor(bitmap.width * scale));
      const height = Math.max(1, Math.floor(bitmap.height * scale));
      const smaller = await encode(bitmap, width, height, 'image/png');
      if (smaller.length <= limit) {
        return { url: await bytesToDataUrl(smaller, 'image/png'), note: `Added at ${width} × ${height} and scaled up to the content: the ${bitmap.width} × ${bitmap.height} PNG was ${mb(png.length)}, over the ${mb(limit)} Pastiche sends to Photopea at once.` };
      }
    }
    throw new Error(`the result (${mb(png.length)}) could not be made small enough to send to Photopea`);
  } finally {
    bitmap.close();
  }
}

async function encode(bitmap: ImageBitmap, width: number, height: number, type: string): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  const blob = await canvas.convertToBlob(type === 'image/jpeg' ? { type, quality: JPEG_QUALITY } : { type });
  return new Uint8Array(await blob.arrayBuffer());
}
