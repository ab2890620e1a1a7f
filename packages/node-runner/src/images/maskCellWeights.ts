import sharp from 'sharp';

/**
 * A mask image's mean weight over each cell of a `columns` × `rows` grid laid on it, read at its full
 * resolution as a stream of pixel rows, never whole. The weight of a pixel is the core's (maskWeights): its
 * luma (Rec. 601) times its alpha, 0 to 1; so a cell is above 0 exactly where some pixel under it has weight,
 * however small the cell's share. EXIF orientation is honoured as decodeImage honours it.
 */
export async function maskCellWeights(source: Uint8Array | string, columns: number, rows: number): Promise<Float64Array> {
  const pipeline = sharp(source, { limitInputPixels: false, sequentialRead: true }).rotate();
  const metadata = await sharp(source, { limitInputPixels: false }).metadata();
  const { width, height } = metadata.autoOrient ?? metadata;
  if (!width || !height) throw new Error('the mask has no size');
  const sums = new Float64Array(columns * rows);
  const counts = new Float64Array(columns * rows);
  const cellOfColumn = Int32Array.from({ length: width }, (_, x) => Math.min(columns - 1, Math.floor((x * columns) / width)));
  let pixel = 0;
  let channel = 0;
  let luma = 0;
  for await (const chunk of pipeline.toColourspace('srgb').ensureAlpha().raw() as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const value = chunk[i];
      if (channel < 3) {
        luma += (channel === 0 ? 0.299 : channel === 1 ? 0.587 : 0.114) * value;
        channel++;
        continue;
      }
      const y = Math.floor(pixel / width);
      const cell = Math.min(rows - 1, Math.floor((y * rows) / height)) * columns + cellOfColumn[pixel - y * width];
      sums[cell] += (luma / 255) * (value / 255);
      counts[cell]++;
      pixel++;
      channel = 0;
      luma = 0;
    }
  }
  return sums.map((sum, cell) => (counts[cell] > 0 ? sum / counts[cell] : 0));
}
