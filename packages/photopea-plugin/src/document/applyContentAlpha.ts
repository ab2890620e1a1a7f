/**
 * The painting with the content's transparency: the engine paints an opaque rectangle, but a cut-out
 * content layer should stay cut out. `content` is the exported content (same aspect), scaled to the result.
 * Answers the result unchanged, and `opaque`, when the content has no transparent pixel.
 */
export async function applyContentAlpha(result: Uint8Array, content: Uint8Array): Promise<{ png: Uint8Array; opaque: boolean }> {
  const [painted, mask] = await Promise.all([result, content].map((bytes) => createImageBitmap(new Blob([bytes as BlobPart], { type: 'image/png' }))));
  try {
    const { width, height } = painted;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(mask, 0, 0, width, height);
    const alpha = context.getImageData(0, 0, width, height).data;
    let opaque = true;
    for (let i = 3; i < alpha.length && opaque; i += 4) opaque = alpha[i] === 255;
    if (opaque) return { png: result, opaque };
    context.clearRect(0, 0, width, height);
    context.drawImage(mask, 0, 0, width, height);
    context.globalCompositeOperation = 'source-in'; // the painting, where the content is, as opaque as it is
    context.drawImage(painted, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return { png: new Uint8Array(await blob.arrayBuffer()), opaque };
  } finally {
    painted.close();
    mask.close();
  }
}
