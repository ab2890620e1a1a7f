// npm run example:designer: the README's image of issue 24's designer features, from real runs (real VGG16
// blocks 1–3 weights, onnx-cpu). Writes docs/designer-example.jpg, two rows:
//   1. a seamless texture from The Starry Night repeated 2 × 2 | an oval cut-out of chelsea.png over a
//      checkerboard | the cut-out painted as The Scream, its alpha kept, over the same checkerboard;
//   2. a batch of 3 (tubingen, coffee, chelsea) painted as Woman with a Hat by one engine, which computes the
//      style's targets once; each content is inset in its result's corner.
// The photographs' results may be shown; the photographs are not shipped (../shared/images/SOURCES.md).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { createOnnxEngine, createPastiche, textureRequest, type RgbaImage, type StylizeOptions } from '@pastiche/core';

const root = path.resolve(import.meta.dirname, '..');
const images = path.resolve(root, '../shared/images');
const ROW = 192; // every panel's height in the composed image
const GAP = 6;
const LAYERS: StylizeOptions = { contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'], seed: 7 };

async function load(name: string, side: number): Promise<RgbaImage> {
  const { data, info } = await sharp(path.join(images, name)).resize({ width: side, height: side, fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** The image with everything outside the centred oval transparent, and black under it (as exporters leave it). */
function ovalCutOut(image: RgbaImage): RgbaImage {
  const data = new Uint8Array(image.data);
  const [cx, cy, rx, ry] = [image.width / 2, image.height / 2, image.width * 0.4, image.height * 0.45];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const d = Math.hypot((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry);
      // A one-pixel soft rim, as an anti-aliased cut-out has.
      const alpha = Math.round(255 * Math.min(1, Math.max(0, (1 - d) * Math.min(rx, ry))));
      const i = 4 * (y * image.width + x);
      if (alpha === 0) data.fill(0, i, i + 3);
      data[i + 3] = alpha;
    }
  }
  return { width: image.width, height: image.height, data };
}

const raw = (img: RgbaImage) => sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } });

/** A grey checkerboard of 8 px squares, what editors show under transparency. */
function checkerboard(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(((x >> 3) + (y >> 3)) % 2 ? 204 : 255, 3 * (y * width + x), 3 * (y * width + x) + 3);
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** The image at the row's height over a checkerboard, as PNG. */
async function overChecker(img: RgbaImage): Promise<{ data: Buffer; width: number }> {
  const { data, info } = await raw(img).resize({ height: ROW }).png().toBuffer({ resolveWithObject: true });
  return { data: await sharp(await checkerboard(info.width, ROW)).composite([{ input: data }]).png().toBuffer(), width: info.width };
}

/** The image repeated 2 × 2, at the row's height. */
async function repeated(img: RgbaImage): Promise<{ data: Buffer; width: number }> {
  const tile = await raw(img).png().toBuffer();
  const twice = await sharp({ create: { width: 2 * img.width, height: 2 * img.height, channels: 4, background: '#000' } })
    .composite([0, 1, 2, 3].map((k) => ({ input: tile, left: (k % 2) * img.width, top: (k >> 1) * img.height })))
    .png().toBuffer();
  const { data, info } = await sharp(twice).resize({ height: ROW }).png().toBuffer({ resolveWithObject: true });
  return { data, width: info.width };
}

/** A result at the row's height with its content inset in the lower left corner (a quarter of its height, white rim). */
async function withInset(result: RgbaImage, content: RgbaImage): Promise<{ data: Buffer; width: number }> {
  const { data, info } = await raw(result).resize({ height: ROW }).png().toBuffer({ resolveWithObject: true });
  const inset = await raw(content).resize({ height: ROW / 4 }).extend({ top: 2, bottom: 2, left: 2, right: 2, background: '#fff' }).png().toBuffer({ resolveWithObject: true });
  return { data: await sharp(data).composite([{ input: inset.data, left: 4, top: ROW - inset.info.height - 4 }]).png().toBuffer(), width: info.width };
}

const pastiche = createPastiche({
  weights: { vgg16: { kind: 'reader', read: async (file) => new Uint8Array(await readFile(path.resolve(root, '../shared/models/vgg16', file))) } },
  createEngine: createOnnxEngine({ ort, name: 'onnx-cpu' }),
});
const timed = async <T extends { stats: { elapsedMs: number } }>(what: string, run: Promise<T>) => {
  const result = await run;
  console.log(`${what}: ${(result.stats.elapsedMs / 1000).toFixed(1)} s`);
  return result;
};

const [starry, scream, woman] = await Promise.all([load('starry_night.jpg', 256), load('the_scream.jpg', 256), load('woman_with_hat.jpg', 256)]);
const texture = await timed('seamless texture 128 × 128', pastiche.stylize(textureRequest({ width: 128, height: 128, styles: [{ image: starry }], options: { ...LAYERS, seamless: true, scales: 1, evaluations: 80 } })));
const cut = ovalCutOut(await load('chelsea.png', 256));
const cutResult = await timed('cut-out 256 px', pastiche.stylize({ content: cut, styles: [{ image: scream }], options: { ...LAYERS, size: 256, scales: 1, evaluations: 60 } }));
const batch: Array<{ content: RgbaImage; result: RgbaImage }> = [];
for (const name of ['tubingen.jpg', 'coffee.png', 'chelsea.png']) {
  const content = await load(name, 192);
  const { image, stats } = await timed(`batch ${batch.length + 1} of 3, ${name}`, pastiche.stylize({ content, styles: [{ image: woman }], options: { ...LAYERS, size: 192, scales: 1, evaluations: 60 } }));
  console.log(`  style targets: ${JSON.stringify(stats.scales.map((s) => s.styleTargets))}`);
  batch.push({ content, result: image });
}
pastiche.dispose();

const rows = [
  [await repeated(texture.image), await overChecker(cut), await overChecker(cutResult.image)],
  await Promise.all(batch.map(({ content, result }) => withInset(result, content))),
];
const widths = rows.map((row) => row.reduce((w, p) => w + p.width, 0) + GAP * (row.length - 1));
const width = Math.max(...widths);
const panels = rows.flatMap((row, r) => {
  let left = Math.round((width - widths[r]) / 2);
  return row.map((p) => ({ input: p.data, top: r * (ROW + GAP), left: (left += p.width + GAP) - p.width - GAP }));
});
const out = path.join(root, 'docs/designer-example.jpg');
await sharp({ create: { width, height: 2 * ROW + GAP, channels: 3, background: '#fff' } }).composite(panels).jpeg({ quality: 82, mozjpeg: true }).toFile(out);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
