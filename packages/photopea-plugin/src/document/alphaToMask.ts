/**
 * A region image as the engine reads a mask (luma × alpha; white paints): white as opaque as the image,
 * on black, whatever its colours. Null when the image is transparent everywhere (the region covers nothing).
 */
export async function alphaToMask(png: Uint8Array): Promise<Uint8Array | null> {
  const bitmap = await createImageBitmap(new Blob([png as BlobPart], { type: 'image/png' }));
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0);
    const image = context.getImageData(0, 0, bitmap.width, bitmap.height);
    let covered = false;
    for (let i = 0; i < image.data.length; i += 4) {
      const alpha = image.data[i + 3];
      covered ||= alpha > 0;
      image.data[i] = image.data[i + 1] = image.data[i + 2] = alpha;
      image.data[i + 3] = 255;
    }
    if (!covered) return null;
    context.putImageData(image, 0, 0);
    return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
  } finally {
    bitmap.close();
  }
}
