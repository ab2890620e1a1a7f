// npm run example:regions: the content painted with The Starry Night on the left and The Scream on the right
// (complementary masks), beside the unmasked blend of the same two styles. Writes docs/regions-example.png:
// content | style A | style B | unmasked blend | regions.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { createOnnxEngine, createPastiche, type RgbaImage, type StylizeOptions } from '@pastiche/core';

const root = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(root, '../shared');
const SIZE = 256;

async function load(name: string, side: number): Promise<RgbaImage> {
  const { data, info } = await sharp(path.join(shared, 'images', name)).resize({ width: side, height: side, fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** White on the left half (or the right), black elsewhere, with a soft edge 1/16 of the width wide. */
function halfMask(width: number, height: number, left: boolean): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + (width / 2 - x) / (width / 16)));
      data.fill(Math.round(255 * (left ? t : 1 - t)), 4 * (y * width + x), 4 * (y * width + x) + 3);
      data[4 * (y * width + x) + 3] = 255;
    }
  }
  return { width, height, data };
}

const pastiche = createPastiche({
  weights: { vgg16: { kind: 'reader', read: async (file) => new Uint8Array(await readFile(path.join(shared, 'models/vgg16', file))) } },
  createEngine: createOnnxEngine({ ort, name: 'onnx-cpu' }),
});
const options: StylizeOptions = { size: SIZE, scales: 2, evaluations: [40, 60], contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'], seed: 7 };
const [content, a, b] = await Promise.all([load('tubingen.jpg', SIZE), load('starry_night.jpg', SIZE), load('the_scream.jpg', SIZE)]);
const blend = await pastiche.stylize({ content, styles: [{ image: a }, { image: b }], options });
console.log(`unmasked blend: ${Math.round(blend.stats.elapsedMs)} ms`);
const regions = await pastiche.stylize({
  content,
  styles: [
    { image: a, mask: halfMask(content.width, content.height, true) },
    { image: b, mask: halfMask(content.width, content.height, false) },
  ],
  options,
});
console.log(`regions: ${Math.round(regions.stats.elapsedMs)} ms`);
pastiche.dispose();

// One row, every panel at the content's height.
const panels = [content, a, b, blend.image, regions.image];
const tiles = await Promise.all(
  panels.map(async (img) => {
    const png = sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).resize({ height: content.height });
    const { data, info } = await png.png().toBuffer({ resolveWithObject: true });
    return { data, width: info.width };
  }),
);
const gap = 6;
const width = tiles.reduce((w, t) => w + t.width, 0) + gap * (tiles.length - 1);
let left = 0;
const out = path.join(root, 'docs/regions-example.png');
await sharp({ create: { width, height: content.height, channels: 4, background: '#fff' } })
  .composite(tiles.map((t) => ({ input: t.data, left: (left += t.width + gap) - t.width - gap, top: 0 })))
  .png()
  .toFile(out);
console.log(`wrote ${path.relative(process.cwd(), out)}: content | The Starry Night | The Scream | unmasked blend | Starry Night left, Scream right`);
