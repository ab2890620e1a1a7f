import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createPastiche, type LossValues, type Pastiche, type RgbaImage, type StylizeOptions } from '../src/index.ts';
import { createOnnxEngine } from '../src/engines/onnx/createOnnxEngine.ts';
import { loadImage } from './helpers/images.ts';
import { realWeightsSource } from './helpers/weights.ts';

describe('the Wasserstein style loss in a real run: VGG16 blocks 1–3, 128 px, onnx-cpu', () => {
  let pastiche: Pastiche;
  let content: RgbaImage;
  let style: RgbaImage;
  before(async () => {
    pastiche = createPastiche({ weights: { vgg16: realWeightsSource('vgg16') }, createEngine: createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } }) });
    [content, style] = await Promise.all([loadImage('tubingen.jpg', 256), loadImage('starry_night.jpg', 256)]);
  });
  after(() => pastiche.dispose());

  const options: StylizeOptions = {
    size: 128,
    contentLayers: ['block2_conv2'],
    styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'],
    seed: 7,
    evaluations: 30,
  };

  it('the W2 style term falls by at least half, and the result differs from Gram’s with the same seed', async (t) => {
    const styleTerms: number[] = [];
    const w2 = await pastiche.stylize({ content, styles: [{ image: style }], options: { ...options, styleLoss: 'wasserstein' } }, { onProgress: (p) => void styleTerms.push(p.loss.style) });
    const gram = await pastiche.stylize({ content, styles: [{ image: style }], options });
    const [first, last] = [styleTerms[0], w2.stats.loss.style];
    t.diagnostic(`W2 style term ${first.toExponential(3)} → ${last.toExponential(3)} (${(first / last).toFixed(1)}×) in ${w2.stats.evaluations} evaluations`);
    assert.ok(last <= first / 2, `style term ${first} → ${last}`);
    for (const term of ['content', 'style', 'tv'] as const satisfies Array<keyof LossValues>) assert.ok(Number.isFinite(w2.stats.loss[term]), term);
    let differing = 0;
    for (let i = 0; i < w2.image.data.length; i++) if (Math.abs(w2.image.data[i] - gram.image.data[i]) > 8) differing++;
    t.diagnostic(`${differing} of ${w2.image.data.length} channel values differ by more than 8 levels from Gram's result`);
    assert.ok(differing > w2.image.data.length / 20, `only ${differing} channel values differ from Gram's result`);
  });
});
