import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createOnnxEngine, stylize, type Engine, type RgbaImage, type StylizeOptions } from '../src/index.ts';
import { loadImage } from './helpers/images.ts';
import { realWeightsUpTo } from './helpers/weights.ts';

/** Mean and standard deviation of R, G, B over the columns [from, to) of an image. */
function colourStatistics(image: RgbaImage, from = 0, to = image.width): number[] {
  const sums = [0, 0, 0, 0, 0, 0];
  let n = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = from; x < to; x++) {
      for (let c = 0; c < 3; c++) {
        const v = image.data[4 * (y * image.width + x) + c];
        sums[c] += v;
        sums[3 + c] += v * v;
      }
      n++;
    }
  }
  const means = sums.slice(0, 3).map((s) => s / n);
  return [...means, ...means.map((m, c) => Math.sqrt(Math.max(0, sums[3 + c] / n - m * m)))];
}

const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));

/** White on the left half (or the right), black elsewhere. */
function halfMask(width: number, height: number, left: boolean): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    data.fill((p % width < width / 2) === left ? 255 : 0, 4 * p, 4 * p + 3);
    data[4 * p + 3] = 255;
  }
  return { width, height, data };
}

describe('regions in a real run (128 px, real VGG16 blocks 1–3, onnx-cpu)', () => {
  let engine: Engine;
  before(async () => {
    engine = await createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } })('vgg16', await realWeightsUpTo('block3_conv3'));
  });
  after(() => engine.dispose());

  it('with complementary left/right masks, each half moves towards its own style’s colours, more than in the unmasked blend', async () => {
    const [content, a, b] = await Promise.all([loadImage('tubingen.jpg', 128), loadImage('starry_night.jpg', 128), loadImage('the_scream.jpg', 128)]);
    const options: StylizeOptions = { model: 'vgg16', size: 128, contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'], evaluations: 40, seed: 5 };
    const blend = (await stylize(engine, { content, styles: [{ image: a }, { image: b }], options })).image;
    const { width, height } = content;
    const masked = (await stylize(engine, { content, styles: [{ image: a, mask: halfMask(width, height, true) }, { image: b, mask: halfMask(width, height, false) }], options })).image;

    const [styleA, styleB] = [colourStatistics(a), colourStatistics(b)];
    // How much nearer a half's colour statistics are to A's than to B's (positive: nearer A).
    const towardsA = (image: RgbaImage, from: number, to: number) => distance(colourStatistics(image, from, to), styleB) - distance(colourStatistics(image, from, to), styleA);
    const half = Math.floor(width / 2);
    const left = { blend: towardsA(blend, 0, half), masked: towardsA(masked, 0, half) };
    const right = { blend: towardsA(blend, half, width), masked: towardsA(masked, half, width) };
    // Measured: left +28 (39 → 67), right 32 nearer B (36 → 4), in 0–255 colour units.
    assert.ok(left.masked - left.blend > 15, `left half towards A (Starry Night): masked ${left.masked.toFixed(1)}, blend ${left.blend.toFixed(1)}`);
    assert.ok(right.blend - right.masked > 15, `right half towards B (The Scream): masked ${(-right.masked).toFixed(1)}, blend ${(-right.blend).toFixed(1)}`);
  });
});
