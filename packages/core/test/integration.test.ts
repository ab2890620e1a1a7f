import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createPastiche, type LossValues, type Pastiche, type RgbaImage } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { loadImage } from './helpers/images.ts';
import { realWeightsSource } from './helpers/weights.ts';

describe('integration: real VGG16 weights, 96 px, one style, L-BFGS', () => {
  let pastiche: Pastiche;
  let content: RgbaImage;
  let style: RgbaImage;

  before(async () => {
    await useBackend('wasm');
    pastiche = createPastiche({ weights: { vgg16: realWeightsSource('vgg16') } });
    // Full-size images: the engine does the resizing.
    [content, style] = await Promise.all([loadImage('tubingen.jpg'), loadImage('starry_night.jpg')]);
    await pastiche.loadModel('vgg16'); // so that its weight tensors exist before the count below
  });
  after(() => pastiche.dispose());

  it('the total loss falls at least 10× from the first evaluation, and the result is a valid RGBA image', async (t) => {
    const losses: LossValues[] = [];
    const before = tf.memory().numTensors;
    const result = await pastiche.stylize(
      {
        content,
        styles: [{ image: style }],
        options: {
          size: 96,
          contentLayers: ['block2_conv2'],
          styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'],
          init: 'random',
          seed: 2024,
          optimizer: 'lbfgs',
          evaluations: 20,
        },
      },
      { onProgress: (p) => void losses.push(p.loss) },
    );
    const first = losses[0].total;
    const last = result.stats.loss.total;
    t.diagnostic(`total loss ${first.toExponential(3)} → ${last.toExponential(3)} (${(first / last).toFixed(1)}×) in ${result.stats.evaluations} evaluations, ${(result.stats.elapsedMs / 1000).toFixed(1)} s`);
    // Measured with the default weights (scale-invariant: content 1, style 1e-3, TV 1): 3.0e7 → 1.25e6, 24×.
    assert.ok(first / last >= 10, `loss ${first} → ${last}`);
    assert.equal(result.stats.evaluations, 20);
    assert.equal(result.stats.backend, 'wasm');
    for (const term of ['total', 'content', 'style', 'tv'] as const) assert.ok(Number.isFinite(result.stats.loss[term]) && result.stats.loss[term] > 0, term);
    assert.equal(result.stats.loss.total, Math.min(...losses.map((l) => l.total)), 'the result is the best point seen');

    // 1024×768 content at 96 px on the longest side.
    const { image } = result;
    assert.deepEqual([image.width, image.height], [96, 72]);
    assert.equal(image.data.length, 96 * 72 * 4);
    const rgb = Array.from(image.data).filter((_, i) => i % 4 !== 3);
    assert.ok(Array.from(image.data).every((v, i) => i % 4 !== 3 || v === 255), 'alpha opaque');
    assert.ok(new Set(rgb).size > 50, `${new Set(rgb).size} distinct channel values`);
    const mean = rgb.reduce((a, b) => a + b, 0) / rgb.length;
    const std = Math.sqrt(rgb.reduce((a, b) => a + (b - mean) ** 2, 0) / rgb.length);
    assert.ok(std > 10, `channel values vary (std ${std.toFixed(1)})`);

    // The weights stay loaded in the engine; everything else is released.
    assert.equal(tf.memory().numTensors, before);
  });
});
