import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { createPastiche, textureRequest, type Pastiche, type RgbaImage, type StylizeOptions } from '../src/index.ts';
import { createOnnxEngine } from '../src/engines/onnx/createOnnxEngine.ts';
import { loadImage } from './helpers/images.ts';
import { REPO_ROOT } from './helpers/paths.ts';
import { realWeightsSource } from './helpers/weights.ts';

const artifacts = path.join(REPO_ROOT, '.artifacts/seamless');

/**
 * How visible the wrap-around seam is: the mean absolute difference (RGB, 0–255) between the first and last
 * columns and between the first and last rows, against the mean difference between neighbouring columns
 * and rows inside the image.
 */
function seam({ width, height, data }: RgbaImage): { seam: number; interior: number } {
  const at = (x: number, y: number, c: number) => data[(y * width + x) * 4 + c];
  const difference = (pairs: Array<[number, number, number, number]>) => {
    let sum = 0;
    for (const [x0, y0, x1, y1] of pairs) for (let c = 0; c < 3; c++) sum += Math.abs(at(x0, y0, c) - at(x1, y1, c));
    return sum / (3 * pairs.length);
  };
  const [edges, inside]: Array<Array<[number, number, number, number]>> = [[], []];
  for (let y = 0; y < height; y++) {
    edges.push([width - 1, y, 0, y]);
    for (let x = 0; x + 1 < width; x++) inside.push([x, y, x + 1, y]);
  }
  for (let x = 0; x < width; x++) {
    edges.push([x, height - 1, x, 0]);
    for (let y = 0; y + 1 < height; y++) inside.push([x, y, x, y + 1]);
  }
  return { seam: difference(edges), interior: difference(inside) };
}

/** The image repeated 2 × 2, as a designer tiles it, to look at. */
async function saveRepeated(image: RgbaImage, file: string) {
  const { width, height } = image;
  const tile = { data: Buffer.from(image.data), raw: { width, height, channels: 4 as const } };
  const placed = [0, 1].flatMap((row) => [0, 1].map((column) => ({ input: tile.data, raw: tile.raw, left: column * width, top: row * height })));
  await mkdir(artifacts, { recursive: true });
  await sharp({ create: { width: 2 * width, height: 2 * height, channels: 4, background: '#000' } }).composite(placed).png().toFile(path.join(artifacts, file));
}

describe('seamless patterns in a real run: VGG16 blocks 1–3, 128 px, onnx-cpu', () => {
  let pastiche: Pastiche;
  let style: RgbaImage;
  before(async () => {
    pastiche = createPastiche({ weights: { vgg16: realWeightsSource('vgg16') }, createEngine: createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } }) });
    style = await loadImage('starry_night.jpg', 256);
  });
  after(() => pastiche.dispose());

  const options: StylizeOptions = { styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'], seed: 7, evaluations: 80 };

  it('a texture from The Starry Night: with seamless its wrap-around seam is within 1.2× of its neighbouring columns’ and rows’ difference; without, far above', async (t) => {
    const paint = async (seamless: boolean) => (await pastiche.stylize(textureRequest({ width: 128, height: 128, styles: [{ image: style }], options: { ...options, seamless } }))).image;
    const [tiled, plain] = [await paint(true), await paint(false)];
    await saveRepeated(tiled, 'texture-seamless-2x2.png');
    await saveRepeated(plain, 'texture-plain-2x2.png');
    const [a, b] = [seam(tiled), seam(plain)];
    t.diagnostic(`seamless: seam ${a.seam.toFixed(2)}, interior ${a.interior.toFixed(2)} (${(a.seam / a.interior).toFixed(2)}×); without: seam ${b.seam.toFixed(2)}, interior ${b.interior.toFixed(2)} (${(b.seam / b.interior).toFixed(2)}×)`);
    assert.ok(a.seam <= 1.2 * a.interior, `seamless: seam ${a.seam}, interior ${a.interior}`);
    assert.ok(b.seam >= 2 * b.interior, `without seamless: seam ${b.seam}, interior ${b.interior}`);
  });
});
