/**
 * Whether an image has no transparent pixel. The engine gives the result the content's transparency (a cut-out
 * layer stays cut out: the core's transparency.ts), and only an opaque result may go into Photopea as a JPEG.
 */
export async function isOpaque(png: Uint8Array): Promise<boolean> {
  const bitmap = await createImageBitmap(new Blob([png as BlobPart], { type: 'image/png' }));
  try {
    const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
    return true;
  } finally {
    bitmap.close();
  }
}
