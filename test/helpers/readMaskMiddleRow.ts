import type { Page } from 'playwright-core';

/** A mask PNG's size and the first channel of its middle row, decoded by the browser as the plugins draw it. */
export function readMaskMiddleRow(page: Page, png: Uint8Array): Promise<{ width: number; height: number; row: number[] }> {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const row = Array.from(context.getImageData(0, Math.floor(bitmap.height / 2), bitmap.width, 1).data.filter((_, i) => i % 4 === 0));
    return { width: bitmap.width, height: bitmap.height, row };
  }, Buffer.from(png).toString('base64'));
}
