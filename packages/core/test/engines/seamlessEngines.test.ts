import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createTfjsEngine } from '../../src/index.ts';
import type { Engine, ObjectiveSettings } from '../../src/engines/types.ts';
import { createOnnxEngine } from '../../src/engines/onnx/createOnnxEngine.ts';
import { useBackend } from '../helpers/backend.ts';
import { assertSameEvaluation, evaluateOnce } from '../helpers/compareEvaluations.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { uniform } from '../helpers/random.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { loadRealWeights } from '../helpers/weights.ts';

const SEAMLESS: ObjectiveSettings = { ...BLOCK3_SETTINGS, seamless: true };
const image = randomVggImage;

const BLOCK2: ObjectiveSettings = { ...SEAMLESS, styleLayers: ['block1_conv2', 'block2_conv2'], styleLayerWeights: [0.4, 0.6] };

/** Each engine, and its tiled case: tfjs's plain-JavaScript cpu backend gets a smaller one (block 3 in tiles took 12 min under load, 32×24 through block 2 10 min). */
const engines: Record<string, { create: () => Promise<Engine>; tiled: { height: number; width: number; tile: number; s: ObjectiveSettings; through: string } }> = {
  'onnx-cpu': {
    create: async () => createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } })('vgg16', await loadRealWeights('vgg16')),
    tiled: { height: 64, width: 48, tile: 16, s: SEAMLESS, through: 'block3_conv3' },
  },
  'tfjs cpu': {
    create: async () => {
      await useBackend('cpu');
      return createTfjsEngine('vgg16', await loadRealWeights('vgg16'));
    },
    tiled: { height: 16, width: 24, tile: 8, s: BLOCK2, through: 'block2_conv2' },
  },
};

for (const [name, { create, tiled }] of Object.entries(engines)) describe(`seamless patterns on ${name} (wrap padding) against the float64 reference`, () => {
  let engine: Engine;
  before(async () => {
    engine = await create();
  });
  after(() => engine.dispose());

  it('32×24 to block3_conv3, two styles, content kept: every term within 1e-5 relative, gradient within 1e-5 relative L2', async () => {
    const [height, width] = [32, 24];
    const content = image(height, width, 1);
    const styles = [{ image: image(30, 28, 2), weight: 0.7 }, { image: image(21, 33, 3), weight: 0.3 }];
    const x = uniform(height * width * 3, 4, -100, 100);
    const ours = await evaluateOnce(engine, SEAMLESS, content, styles, x);
    assertSameEvaluation(ours, referenceObjective('vgg16', await loadRealWeights('vgg16'), SEAMLESS, content, styles, x));
  });

  const { height, width, tile, s, through } = tiled;
  it(`${height}×${width} to ${through} in tiles of ${tile} (reads across every edge) as untiled: terms and gradient within 1e-5`, async () => {
    const styles = [{ image: image(40, 44, 2), weight: 1 }];
    const x = uniform(height * width * 3, 4, -100, 100);
    const untiled = await evaluateOnce(engine, s, image(height, width, 1), styles, x);
    assertSameEvaluation(await evaluateOnce(engine, s, image(height, width, 1), styles, x, { tileSize: tile }), untiled);
  });
});
