import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createTfjsEngine } from '../../src/index.ts';
import type { Engine } from '../../src/engines/types.ts';
import { createOnnxEngine } from '../../src/engines/onnx/createOnnxEngine.ts';
import { useBackend } from '../helpers/backend.ts';
import { BLOCK3_SETTINGS, randomVggImage as image } from '../helpers/objectiveSettings.ts';
import { uniform } from '../helpers/random.ts';
import { relativeL2 } from '../helpers/reference.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { loadRealWeights } from '../helpers/weights.ts';

// Two masked styles (left half, grey values), one everywhere, and a content mask, on a 44×38 image.
const [height, width] = [44, 38];
const left = Float32Array.from({ length: height * width }, (_, i) => Number(i % width < width / 2));
const styles = [
  { image: image(40, 36, 2), weight: 0.5, mask: left },
  { image: image(29, 45, 3), weight: 0.3, mask: uniform(height * width, 21, 0, 1) },
  { image: image(33, 33, 5), weight: 0.2 },
];
const contentMask = uniform(height * width, 22, 0, 1);
const content = image(height, width, 1);
const x = uniform(height * width * 3, 4, -100, 100);

const engines: Array<[string, () => Promise<Engine>]> = [
  ['onnx-cpu', async () => createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } })('vgg16', await loadRealWeights('vgg16'))],
  ['tfjs cpu', async () => (await useBackend('cpu'), createTfjsEngine('vgg16', await loadRealWeights('vgg16')))],
];

for (const [name, create] of engines) describe(`regions on the ${name} engine against the float64 reference`, () => {
  let engine: Engine;
  let reference: ReturnType<typeof referenceObjective>;
  before(async () => {
    engine = await create();
    reference = referenceObjective('vgg16', await loadRealWeights('vgg16'), BLOCK3_SETTINGS, content, styles, x, contentMask);
  });
  after(() => engine.dispose());

  for (const tileSize of [undefined, 20]) {
    it(`${tileSize ? `in tiles of ${tileSize}` : 'untiled'}: every term within 1e-5 relative, gradient within 1e-5 relative L2`, async () => {
      const objective = await engine.prepareScale(BLOCK3_SETTINGS, content, styles, { tileSize, contentMask });
      try {
        const ours = await objective.evaluate(x);
        for (const term of ['content', 'style', 'tv'] as const) {
          const error = Math.abs(ours.terms[term] - reference.terms[term]) / Math.abs(reference.terms[term]);
          assert.ok(error <= 1e-5, `${term}: ${ours.terms[term]} vs ${reference.terms[term]} (relative error ${error})`);
        }
        const error = relativeL2(ours.gradient, reference.gradient);
        assert.ok(error <= 1e-5, `gradient relative L2 ${error}`);
      } finally {
        objective.dispose();
      }
    });
  }
});
