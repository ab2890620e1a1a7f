// Browser side of imageOps.browser.test.ts: makes test PNGs with a canvas and runs the panel's image steps on them.
import { cropAndFit } from '../src/document/cropAndFit.ts';
import { encodeForPlacing } from '../src/document/encodeForPlacing.ts';
import { isOpaque } from '../src/document/isOpaque.ts';
import type { Bounds } from '../src/document/types.ts';

type Paint = (context: OffscreenCanvasRenderingContext2D, width: number, height: number) => void;

async function png(width: number, height: number, paint: Paint): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(width, height);
  paint(canvas.getContext('2d')!, width, height);
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

async function pixels(bytes: Uint8Array | string) {
  const blob = typeof bytes === 'string' ? await (await fetch(bytes)).blob() : new Blob([bytes as BlobPart]);
  const bitmap = await createImageBitmap(blob);
  const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  return { width: bitmap.width, height: bitmap.height, at: (x: number, y: number) => [...context.getImageData(x, y, 1, 1).data] };
}

const noise: Paint = (context, width, height) => {
  const image = context.createImageData(width, height);
  let seed = 7;
  for (let i = 0; i < image.data.length; i++) image.data[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
  context.putImageData(image, 0, 0);
};

const harness = {
  /** A 100 × 80 canvas, red in [10, 20, 60, 50] and blue elsewhere, exported at `exportScale` × the document size. */
  async crop(exportScale: number, maxSide: number) {
    const bytes = await png(100 * exportScale, 80 * exportScale, (c, w, h) => {
      c.fillStyle = '#00f';
      c.fillRect(0, 0, w, h);
      c.fillStyle = '#f00';
      c.fillRect(10 * exportScale, 20 * exportScale, 50 * exportScale, 30 * exportScale);
    });
    const fitted = await cropAndFit(bytes.buffer as ArrayBuffer, { width: 100, height: 80 }, [10, 20, 60, 50] as Bounds, maxSide);
    const p = await pixels(fitted.png);
    return { width: fitted.width, height: fitted.height, decoded: [p.width, p.height], corners: [p.at(0, 0), p.at(p.width - 1, p.height - 1)] };
  },
  /** Whether a painting is opaque: one filled whole, one with a transparent left half, one with a single half-transparent pixel. */
  async alpha() {
    const whole = await png(40, 20, (c) => ((c.fillStyle = '#0f0'), c.fillRect(0, 0, 40, 20)));
    const cutOut = await png(40, 20, (c) => ((c.fillStyle = '#0f0'), c.fillRect(20, 0, 20, 20)));
    const onePixel = await png(40, 20, (c) => ((c.fillStyle = '#0f0'), c.fillRect(0, 0, 40, 20), c.clearRect(39, 19, 1, 1), (c.fillStyle = 'rgb(0 255 0 / 0.5)'), c.fillRect(39, 19, 1, 1)));
    return [await isOpaque(whole), await isOpaque(cutOut), await isOpaque(onePixel)];
  },
  /** A noisy 300 × 300 painting (a PNG of ~360 kB) placed under a 120 kB limit, opaque or not; and a small one. */
  async place() {
    const big = await png(300, 300, noise);
    const translucent = await png(300, 300, (c, w, h) => (noise(c, w, h), c.clearRect(0, 0, 10, 10)));
    const small = await png(20, 20, noise);
    const limit = 120 * 1024;
    const [jpeg, shrunk, fits] = await Promise.all([encodeForPlacing(big, true, limit), encodeForPlacing(translucent, false, limit), encodeForPlacing(small, true, limit)]);
    const shrunkPixels = await pixels(shrunk.url);
    return {
      bigBytes: big.length,
      jpeg: { mime: jpeg.url.slice(5, jpeg.url.indexOf(';')), bytes: atob(jpeg.url.split(',')[1]).length, note: jpeg.note },
      shrunk: { mime: shrunk.url.slice(5, shrunk.url.indexOf(';')), bytes: atob(shrunk.url.split(',')[1]).length, size: [shrunkPixels.width, shrunkPixels.height], note: shrunk.note },
      fits: { mime: fits.url.slice(5, fits.url.indexOf(';')), note: fits.note ?? null },
      limit,
    };
  },
};
export type ImageOpsHarness = typeof harness;
(globalThis as unknown as { imageOps: ImageOpsHarness }).imageOps = harness;
