import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createTfjsEngine } from '../../src/index.ts';
import type { Engine, ObjectiveSettings, VggImage } from '../../src/engines/types.ts';
import { createOnnxEngine } from '../../src/engines/onnx/createOnnxEngine.ts';
import { useBackend } from '../helpers/backend.ts';
import { assertSameEvaluation, evaluateOnce } from '../helpers/compareEvaluations.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { uniform } from '../helpers/random.ts';
import { relativeL2 } from '../helpers/reference.ts';
import { tiledReferenceObjective } from '../helpers/tiledReferenceObjective.ts';
import { loadRealWeights } from '../helpers/weights.ts';

const image = randomVggImage;
/** Block 3's 256 channels. */
const SETTINGS: ObjectiveSettings = { ...BLOCK3_SETTINGS, styleLoss: 'wasserstein', styleWeight: 1 };
type Styles = Array<{ image: VggImage; weight: number; mask?: Float32Array }>;

/** The float64 reference (two passes over the whole image), computed once per case for every engine. */
const references = new Map<string, ReturnType<typeof tiledReferenceObjective>>();
async function reference(key: string, s: ObjectiveSettings, content: VggImage, styles: Styles, x: Float32Array) {
  if (!references.has(key)) references.set(key, tiledReferenceObjective('vgg16', await loadRealWeights('vgg16'), s, content, styles, x, Infinity));
  return references.get(key)!;
}

const cases = [
  { label: '64×64, max pooling, one style', height: 64, width: 64, s: SETTINGS, styles: 1 },
  // The float64 reference costs minutes per evaluation beyond this (its 256-channel square roots and convolutions in plain JavaScript).
  { label: '72×54, avg pooling, two styles, one of them in a region', height: 72, width: 54, s: { ...SETTINGS, pooling: 'avg' }, styles: 2 },
  { label: '48×40 seamless, avg pooling, one style', height: 48, width: 40, s: { ...SETTINGS, pooling: 'avg', seamless: true }, styles: 1 },
] as const;

const engines: Array<[string, () => Promise<Engine>]> = [
  ['onnx-cpu', async () => createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } })('vgg16', await loadRealWeights('vgg16'))],
  ['tfjs cpu', async () => {
    await useBackend('cpu');
    return createTfjsEngine('vgg16', await loadRealWeights('vgg16'));
  }],
];

for (const [name, create] of engines) describe(`the Wasserstein style loss on ${name} against the float64 reference`, () => {
  let engine: Engine;
  before(async () => {
    engine = await create();
  });
  after(() => engine.dispose());

  for (const { label, height, width, s, styles: count } of cases) {
    it(`${label}: every term within 1e-5 relative, gradient within 1e-5 relative L2`, async (t) => {
      const content = image(height, width, 1);
      const half = Float32Array.from({ length: height * width }, (_, i) => (i % width < width / 2 ? 1 : 0.3));
      const styles: Styles = [{ image: image(70, 60, 2), weight: 0.7 }, { image: image(50, 66, 3), weight: 0.3, mask: half }].slice(0, count);
      const x = uniform(height * width * 3, 4, -100, 100);
      const ours = await evaluateOnce(engine, s, content, styles, x);
      const expected = await reference(label, s, content, styles, x);
      t.diagnostic(`style ${(Math.abs(ours.terms.style - expected.terms.style) / expected.terms.style).toExponential(2)}, gradient ${relativeL2(ours.gradient, expected.gradient).toExponential(2)} (relative)`);
      assertSameEvaluation(ours, expected);
    });
  }
});
