/**
 * A batch of contents with the same styles: each engine keeps the styles' statistics, so the styles go through
 * the network once per scale size, and a run that reused them paints exactly what a fresh engine paints.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createOnnxEngine, stylize, type Engine, type RgbaImage, type StylizeOptions, type StylizeResult } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { exampleImages, smallRealEngine, SMALL_RUN, type ExampleImages } from './helpers/fixtures.ts';
import { realWeightsUpTo } from './helpers/weights.ts';

const TWO_SCALES: StylizeOptions = { ...SMALL_RUN, size: 48, scales: 2, evaluations: [3, 3] };
const counts = (r: StylizeResult) => r.stats.scales.map((s) => s.styleTargets);

const ENGINES: Array<[string, () => Promise<Engine>]> = [
  [
    'wasm (TensorFlow.js)',
    async () => {
      await useBackend('wasm');
      return smallRealEngine();
    },
  ],
  ['onnx-cpu', async () => createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } })('vgg16', await realWeightsUpTo('block2_conv2'))],
];

for (const [name, make] of ENGINES) {
  describe(`style targets kept between runs: ${name}`, () => {
    let engine: Engine;
    let images: ExampleImages;
    before(async () => {
      engine = await make();
      images = await exampleImages(96);
    });
    after(() => engine.dispose());

    const run = (on: Engine, content: RgbaImage, styles: Array<{ image: RgbaImage; weight?: number }>, options = TWO_SCALES) => stylize(on, { content, styles, options });

    it('three contents with the same two styles: the styles are computed for the first content only, at each scale', async () => {
      const styles = [{ image: images.starryNight }, { image: images.scream, weight: 0.5 }];
      // Three contents of the same size (the batch's case): the photograph, and the two paintings as contents.
      const contents = [images.tubingen, images.scream, images.starryNight].map((c) => ({ ...c }));
      const batch = [];
      for (const content of contents) batch.push(await run(engine, content, styles));
      assert.deepEqual(counts(batch[0]), [{ computed: 2, reused: 0 }, { computed: 2, reused: 0 }]);
      assert.deepEqual(counts(batch[1]), [{ computed: 0, reused: 2 }, { computed: 0, reused: 2 }]);
      assert.deepEqual(counts(batch[2]), [{ computed: 0, reused: 2 }, { computed: 0, reused: 2 }]);

      // Reused statistics are the statistics: the last content on a fresh engine paints the same bytes.
      const fresh = await make();
      try {
        const alone = await run(fresh, contents[2], styles);
        assert.deepEqual(counts(alone), [{ computed: 2, reused: 0 }, { computed: 2, reused: 0 }]);
        assert.deepEqual(alone.image.data, batch[2].image.data);
      } finally {
        fresh.dispose();
      }
    });

    it('blend weights are not part of what is kept; another size, other style layers or another image are', async () => {
      const base = [{ image: images.starryNight, weight: 1 }];
      await run(engine, images.tubingen, base, { ...SMALL_RUN, size: 40 });
      assert.deepEqual(counts(await run(engine, images.tubingen, [{ image: images.starryNight, weight: 3 }], { ...SMALL_RUN, size: 40 })), [{ computed: 0, reused: 1 }]);
      assert.deepEqual(counts(await run(engine, images.tubingen, base, { ...SMALL_RUN, size: 44 })), [{ computed: 1, reused: 0 }]);
      assert.deepEqual(counts(await run(engine, images.tubingen, base, { ...SMALL_RUN, size: 40, styleLayers: ['block1_conv2'] })), [{ computed: 1, reused: 0 }]);
      const changed = { ...images.starryNight, data: images.starryNight.data.slice() };
      changed.data[0] ^= 0xff;
      assert.deepEqual(counts(await run(engine, images.tubingen, [{ image: changed }], { ...SMALL_RUN, size: 40 })), [{ computed: 1, reused: 0 }]);
    });
  });
}
