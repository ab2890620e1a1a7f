import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsEngine, PasticheInputError } from '../../src/index.ts';
import type { Engine, ObjectiveSettings, VggImage } from '../../src/engines/types.ts';
import { useBackend, type BackendName } from '../helpers/backend.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { uniform } from '../helpers/random.ts';
import { stepsThrough } from '../../src/vgg/stepsThrough.ts';
import { layoutTiles } from '../../src/plan/layoutTiles.ts';
import { assertSameEvaluation, evaluateOnce } from '../helpers/compareEvaluations.ts';
import { relativeL2 } from '../helpers/reference.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { loadRealWeights } from '../helpers/weights.ts';

const image = randomVggImage;
const SETTINGS = BLOCK3_SETTINGS;

type Styles = Array<{ image: VggImage; weight: number }>;

/** The float64 reference, computed once per case for every backend. */
const references = new Map<string, ReturnType<typeof referenceObjective>>();
async function reference(key: string, s: ObjectiveSettings, content: VggImage, styles: Styles, x: Float32Array) {
  if (!references.has(key)) references.set(key, referenceObjective('vgg16', await loadRealWeights('vgg16'), s, content, styles, x));
  return references.get(key)!;
}

const cases = [
  { label: '64×64, max pooling, scale-invariant, one style', height: 64, width: 64, s: SETTINGS, styles: 1 },
  { label: '37×53 (odd at every pooling), avg pooling, notebook, two styles', height: 37, width: 53, s: { ...SETTINGS, pooling: 'avg', normalization: 'notebook', contentWeight: 0.025, styleWeight: 5 }, styles: 2 },
  { label: '48×30, max pooling, two content layers, per-layer weights', height: 48, width: 30, s: { ...SETTINGS, contentLayers: ['block1_conv1', 'block3_conv2'], styleLayerWeights: [1, 0, 3] }, styles: 2 },
  { label: '32×32, content weight 0 with the content layer deeper than the only style layer (texture synthesis)', height: 32, width: 32, s: { ...SETTINGS, contentWeight: 0, styleLayers: ['block1_conv2'], styleLayerWeights: [1] }, styles: 1 },
] as const;

/**
 * Tiles on the wasm backend only. The tiling is the engine's own code, the same on every backend; what differs
 * between backends is the kernels, which the untiled cases check. On the cpu backend (block 3 at about
 * 0.2 GMAC/s) even one row of three tiles of a 30 × 80 image took 159 s in CI; wasm does 3 × 3 tiles of a
 * 100 px image, corners included, in 10 s.
 */
const TILED = { height: 100, width: 94, tile: 36, rows: 3, columns: 3, style: [80, 100] as [number, number] };

for (const backend of ['cpu', 'wasm'] as BackendName[]) describe(`TensorFlow.js engine (${backend}) against the float64 reference`, () => {
  let engine: Engine;
  before(async () => {
    await useBackend(backend);
    engine = createTfjsEngine('vgg16', await loadRealWeights('vgg16'));
  });
  after(() => engine.dispose());

  const { height, width, tile, rows, columns, style } = TILED;
  if (backend === 'wasm') it(`evaluates a ${height}×${width} image in ${rows} × ${columns} tiles of ${tile} (uneven, halo clipped at the borders; content targets kept, and computed per tile) as it does untiled: terms and gradient within 1e-5`, async () => {
    assert.equal(layoutTiles(stepsThrough('vgg16', [...SETTINGS.contentLayers, ...SETTINGS.styleLayers]), height, width, tile).tiles.length, rows * columns);
    const styles = [{ image: image(...style, 2), weight: 0.6 }, { image: image(50, 50, 3), weight: 0.4 }];
    const x = uniform(height * width * 3, 4, -100, 100);
    const start = tf.memory().numTensors;
    const untiled = await evaluateOnce(engine, SETTINGS, image(height, width, 1), styles, x);
    const tiled = await evaluateOnce(engine, SETTINGS, image(height, width, 1), styles, x, { tileSize: tile });
    const perTile = await evaluateOnce(engine, SETTINGS, image(height, width, 1), styles, x, { tileSize: tile, contentPerTile: true });
    assert.equal(tf.memory().numTensors, start, 'tensors left behind');
    assertSameEvaluation(tiled, untiled);
    assertSameEvaluation(perTile, untiled);
  });

  for (const { label, height, width, s, styles: count } of cases) {
    it(`${label}: every term within 1e-5 relative, gradient within 1e-5 relative L2`, async () => {
      const content = image(height, width, 1);
      const styles = [{ image: image(40, 36, 2), weight: 0.7 }, { image: image(29, 45, 3), weight: 0.3 }].slice(0, count);
      const x = uniform(height * width * 3, 4, -100, 100);
      const objective = await engine.prepareScale(s as ObjectiveSettings, content, styles);
      try {
        const ours = await objective.evaluate(x);
        const expected = await reference(label, s as ObjectiveSettings, content, styles, x);
        assert.equal(ours.terms.total, ours.terms.content + ours.terms.style + ours.terms.tv);
        assertSameEvaluation(ours, expected);
      } finally {
        objective.dispose();
      }
    });
  }

  it('routes a max-pooling gradient to the first maximum of each window where values tie (a flat image)', async () => {
    const flat = (seed: number) => ({ height: 24, width: 24, data: new Float32Array(24 * 24 * 3).fill(seed) });
    const s = { ...SETTINGS, tvWeight: 0 };
    const styles = [{ image: image(24, 24, 5), weight: 1 }];
    const objective = await engine.prepareScale(s, flat(-20), styles);
    try {
      const x = flat(30).data;
      const ours = await objective.evaluate(x);
      const expected = await reference('flat', s, flat(-20), styles, x);
      const error = relativeL2(ours.gradient, expected.gradient);
      assert.ok(error <= 1e-5, `gradient relative L2 ${error} (a tie routed elsewhere would be far off)`);
    } finally {
      objective.dispose();
    }
  });

  it('keeps one objective per scale: evaluating the same image twice gives the same answer, in arrays of its own', async () => {
    const objective = await engine.prepareScale(SETTINGS, image(32, 32, 6), [{ image: image(32, 32, 7), weight: 1 }]);
    try {
      const x = uniform(32 * 32 * 3, 8, -100, 100);
      const copy = x.slice();
      const [a, b] = [await objective.evaluate(x), await objective.evaluate(x)];
      assert.deepEqual(a.terms, b.terms);
      assert.deepEqual(a.gradient, b.gradient);
      assert.notEqual(a.gradient, b.gradient, 'each evaluation hands over its own gradient array');
      assert.deepEqual(x, copy, 'x is not modified');
    } finally {
      objective.dispose();
    }
  });

  it('leaves no tensor behind: numTensors flat across evaluations, back at its start once the scale and the engine are disposed', async () => {
    const start = tf.memory().numTensors;
    const own = createTfjsEngine('vgg16', await loadRealWeights('vgg16'), { name: `tfjs-${backend}` });
    assert.equal(own.name, `tfjs-${backend}`);
    const objective = await own.prepareScale(SETTINGS, image(24, 32, 1), [{ image: image(20, 28, 2), weight: 1 }]);
    assert.deepEqual([objective.height, objective.width], [24, 32]);
    const x = uniform(24 * 32 * 3, 3, -100, 100);
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await objective.evaluate(x);
      counts.push(tf.memory().numTensors);
    }
    assert.equal(new Set(counts).size, 1, `numTensors after each evaluation: ${counts}`);
    await assert.rejects(objective.evaluate(new Float32Array(5)), /expected 24×32×3 = 2304 values, got 5/);
    objective.dispose();
    await assert.rejects(objective.evaluate(x), /disposed/);
    own.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  it('names a layer the weights lack, and the layers present', async () => {
    await assert.rejects(
      engine.prepareScale({ ...SETTINGS, styleLayers: ['block4_conv3'], styleLayerWeights: [1] }, image(16, 16, 1), [{ image: image(16, 16, 2), weight: 1 }]),
      (error: unknown) => error instanceof PasticheInputError && /options\.styleLayers/.test(error.message) && /block4_conv3/.test(error.message) && /block3_conv3/.test(error.message),
    );
  });
});
