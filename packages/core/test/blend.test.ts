import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rgbaToRgb, resizeImage, stylize, toVggInput, type Engine, type ObjectiveSettings, type StylizeOptions } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { exampleImages, smallRealEngine, SMALL_RUN, type ExampleImages } from './helpers/fixtures.ts';
import { isClose } from './helpers/reference.ts';

describe('multi-style blend', () => {
  let engine: Engine;
  let images: ExampleImages;

  before(async () => {
    await useBackend('wasm');
    engine = await smallRealEngine();
    images = await exampleImages(96);
  });
  after(() => engine.dispose());

  const run = (styles: Array<{ image: ExampleImages[keyof ExampleImages]; weight?: number }>, options: StylizeOptions = {}) =>
    stylize(engine, { content: images.tubingen, styles, options: { ...SMALL_RUN, ...options } });

  it('styles [A weight 1, B weight 0] give exactly the image and losses of [A] alone; [A 1, B 1] does not', async () => {
    const alone = await run([{ image: images.starryNight }]);
    const withZero = await run([
      { image: images.starryNight, weight: 1 },
      { image: images.scream, weight: 0 },
    ]);
    assert.equal(withZero.stats.evaluations, alone.stats.evaluations);
    assert.deepEqual(withZero.stats.loss, alone.stats.loss);
    assert.deepEqual(withZero.image, alone.image);

    // The same comparison is sensitive: giving B a weight changes the result.
    const blended = await run([
      { image: images.starryNight, weight: 1 },
      { image: images.scream, weight: 1 },
    ]);
    assert.notDeepEqual(blended.stats.loss, alone.stats.loss);
    assert.notDeepEqual(Array.from(blended.image.data), Array.from(alone.image.data));
  });

  it('blend weights are relative: [A 3] is [A 1], and [A 2, B 6] is [A 1, B 3]', async () => {
    const one = await run([{ image: images.starryNight, weight: 1 }], { evaluations: 3 });
    const three = await run([{ image: images.starryNight, weight: 3 }], { evaluations: 3 });
    assert.deepEqual(three.stats.loss, one.stats.loss);
    assert.deepEqual(three.image, one.image);
    const a = await run([{ image: images.starryNight, weight: 1 }, { image: images.scream, weight: 3 }], { evaluations: 3 });
    const b = await run([{ image: images.starryNight, weight: 2 }, { image: images.scream, weight: 6 }], { evaluations: 3 });
    for (const term of ['total', 'content', 'style', 'tv'] as const) {
      assert.ok(isClose(b.stats.loss[term], a.stats.loss[term], 1e-5), `${term}: ${b.stats.loss[term]} vs ${a.stats.loss[term]}`);
    }
  });

  it('through the engine, the style term of styles [A 3, B 1] is ¾ of A’s alone plus ¼ of B’s alone', async () => {
    const settings: ObjectiveSettings = {
      pooling: 'max',
      normalization: 'scale-invariant',
      contentLayers: ['block2_conv2'],
      styleLayers: ['block1_conv2', 'block2_conv2'],
      styleLayerWeights: [0.4, 0.6],
      contentWeight: 1,
      styleWeight: 1,
      tvWeight: 1,
    };
    const vgg = (image: ExampleImages[keyof ExampleImages]) => toVggInput(resizeImage(rgbaToRgb(image), 24, 32));
    const [content, a, b] = [vgg(images.tubingen), vgg(images.starryNight), vgg(images.scream)];
    const combination = content.data.map((v, i) => 0.5 * v + 0.5 * a.data[i]);
    const styleTerm = async (styles: Array<{ image: typeof a; weight: number }>) => {
      const scale = await engine.prepareScale(settings, content, styles);
      try {
        return (await scale.evaluate(combination)).terms.style;
      } finally {
        scale.dispose();
      }
    };
    const onlyA = await styleTerm([{ image: a, weight: 1 }]);
    const onlyB = await styleTerm([{ image: b, weight: 1 }]);
    const both = await styleTerm([
      { image: a, weight: 3 },
      { image: b, weight: 1 },
    ]);
    assert.ok(onlyB > 1.5 * onlyA, `the combination (half A) is closer to A (${onlyA}) than to B (${onlyB})`);
    const expected = 0.75 * onlyA + 0.25 * onlyB;
    assert.ok(isClose(both, expected, 1e-4), `blended ${both}, expected ${expected}`);
  });
});
