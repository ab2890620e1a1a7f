import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { PasticheInputError } from '../../src/index.ts';
import type { Engine, ObjectiveSettings, VggImage } from '../../src/engines/types.ts';
import { createOnnxEngine } from '../../src/engines/onnx/createOnnxEngine.ts';
import { stepsThrough } from '../../src/vgg/stepsThrough.ts';
import { layoutTiles } from '../../src/plan/layoutTiles.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { uniform } from '../helpers/random.ts';
import { assertSameEvaluation, evaluateOnce } from '../helpers/compareEvaluations.ts';
import { relativeL2 } from '../helpers/reference.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { loadRealWeights } from '../helpers/weights.ts';

const image = randomVggImage;
const SETTINGS = BLOCK3_SETTINGS;

type Styles = Array<{ image: VggImage; weight: number }>;

/** The float64 reference, computed once per case for both providers. */
const references = new Map<string, ReturnType<typeof referenceObjective>>();
async function reference(key: string, s: ObjectiveSettings, content: VggImage, styles: Styles, x: Float32Array) {
  if (!references.has(key)) references.set(key, referenceObjective('vgg16', await loadRealWeights('vgg16'), s, content, styles, x));
  return references.get(key)!;
}

/**
 * Chromium's SwiftShader, a software Vulkan driver that Dawn accepts: the WebGPU provider runs for real on
 * it (correct, slow). Set before the first WebGPU session creates its Vulkan instance. CI installs Debian's
 * chromium and libvulkan1; without them this fails, it does not skip.
 */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;

for (const provider of ['cpu', 'webgpu'] as const) describe(`ONNX Runtime engine (onnx-${provider}) against the float64 reference`, () => {
  let engine: Engine;
  before(async () => {
    if (provider === 'webgpu') assert.ok(existsSync(SWIFTSHADER_ICD), `${SWIFTSHADER_ICD} is missing: install Debian's chromium and libvulkan1`);
    engine = await createOnnxEngine({ ort, name: `onnx-${provider}`, sessionOptions: { executionProviders: [provider] } })('vgg16', await loadRealWeights('vgg16'));
  });
  after(() => engine.dispose());

  const cases = [
    { label: '64×64, max pooling, scale-invariant, one style', height: 64, width: 64, s: SETTINGS, styles: 1 },
    { label: '37×53 (odd at every pooling), avg pooling, notebook, two styles', height: 37, width: 53, s: { ...SETTINGS, pooling: 'avg', normalization: 'notebook', contentWeight: 0.025, styleWeight: 5 }, styles: 2 },
    { label: '48×30, max pooling, two content layers, per-layer weights', height: 48, width: 30, s: { ...SETTINGS, contentLayers: ['block1_conv1', 'block3_conv2'], styleLayerWeights: [1, 0, 3] }, styles: 2 },
  ] as const;
  for (const { label, height, width, s, styles: count } of cases) {
    it(`${label}: every term within 1e-5 relative, gradient within 1e-5 relative L2`, async () => {
      const content = image(height, width, 1);
      const styles = [{ image: image(40, 36, 2), weight: 0.7 }, { image: image(29, 45, 3), weight: 0.3 }].slice(0, count);
      const x = uniform(height * width * 3, 4, -100, 100);
      const objective = await engine.prepareScale(s as ObjectiveSettings, content, styles);
      try {
        const ours = await objective.evaluate(x);
        assert.equal(ours.terms.total, ours.terms.content + ours.terms.style + ours.terms.tv);
        assertSameEvaluation(ours, await reference(label, s as ObjectiveSettings, content, styles, x));
      } finally {
        objective.dispose();
      }
    });
  }

  it('routes a max-pooling gradient to one maximum per window where values tie (a flat image)', async () => {
    const flat = (seed: number) => ({ height: 24, width: 24, data: new Float32Array(24 * 24 * 3).fill(seed) });
    const s = { ...SETTINGS, tvWeight: 0 };
    const objective = await engine.prepareScale(s, flat(-20), [{ image: image(24, 24, 5), weight: 1 }]);
    try {
      const x = flat(30).data;
      const ours = await objective.evaluate(x);
      const error = relativeL2(ours.gradient, (await reference('flat', s, flat(-20), [{ image: image(24, 24, 5), weight: 1 }], x)).gradient);
      assert.ok(error <= 1e-5, `gradient relative L2 ${error} (a tie counted twice would be far off)`);
    } finally {
      objective.dispose();
    }
  });

  // [height, width, tile, rows × columns, content targets per tile]. On the cpu provider only: the tiling is the
  // engine's host code, the same for every provider, and the untiled cases check the WebGPU kernels. SwiftShader,
  // a software GPU, compiles its shaders per shape, and every tile shape is a new one: one row of three 30 × 80
  // tiles took it 123 s in CI.
  const tiledCases: Array<[number, number, number, [number, number], boolean[]]> =
    provider === 'cpu' ? [[256, 250, 100, [3, 3], [false, true]], [512, 506, 180, [3, 3], [false]]] : [];
  for (const [height, width, tile, [rows, columns], perTile] of tiledCases) {
    const how = perTile.length > 1 ? '; content targets kept, and computed per tile' : '';
    it(`evaluates a ${height}×${width} image in ${rows} × ${columns} tiles of ${tile} (uneven, halo clipped at the borders${how}) as it does untiled: terms and gradient within 1e-5`, async () => {
      assert.equal(layoutTiles(stepsThrough('vgg16', [...SETTINGS.contentLayers, ...SETTINGS.styleLayers]), height, width, tile).tiles.length, rows * columns);
      const styles = [{ image: image(height - 20, height, 2), weight: 0.6 }, { image: image(height / 2, height / 2, 3), weight: 0.4 }];
      const x = uniform(height * width * 3, 4, -100, 100);
      const untiled = await evaluateOnce(engine, SETTINGS, image(height, width, 1), styles, x);
      for (const contentPerTile of perTile) {
        assertSameEvaluation(await evaluateOnce(engine, SETTINGS, image(height, width, 1), styles, x, { tileSize: tile, contentPerTile }), untiled);
      }
    });
  }

  it('keeps one objective per scale: evaluating the same image twice gives the same answer', async () => {
    const objective = await engine.prepareScale(SETTINGS, image(32, 32, 6), [{ image: image(32, 32, 7), weight: 1 }]);
    try {
      const x = uniform(32 * 32 * 3, 8, -100, 100);
      const [a, b] = [await objective.evaluate(x), await objective.evaluate(x)];
      assert.deepEqual(a.terms, b.terms);
      assert.deepEqual(a.gradient, b.gradient);
      assert.notEqual(a.gradient, b.gradient, 'each evaluation hands over its own gradient array');
    } finally {
      objective.dispose();
    }
  });

  it('names a layer the weights lack, and the layers present', async () => {
    await assert.rejects(
      engine.prepareScale({ ...SETTINGS, styleLayers: ['block4_conv3'], styleLayerWeights: [1] }, image(16, 16, 1), [{ image: image(16, 16, 2), weight: 1 }]),
      (error: unknown) => error instanceof PasticheInputError && /options\.styleLayers/.test(error.message) && /block4_conv3/.test(error.message) && /block3_conv3/.test(error.message),
    );
  });
});

// The collection is the host's, whatever the provider: one is enough.
describe('ONNX Runtime engine: the host\'s garbage', () => {
  it('collects the host\'s garbage before each evaluation of a big image (untiled and tiled), not of a small one', async () => {
    const weights = await loadRealWeights('vgg16');
    let collections = 0;
    const counting = (collectBeforeEvaluationBytes?: number) =>
      createOnnxEngine({ ort, name: 'onnx-cpu', collectGarbage: () => collections++, collectBeforeEvaluationBytes })('vgg16', weights);
    const x = uniform(32 * 32 * 3, 8, -100, 100);
    const collectedDuring = async (candidate: Engine, tileSize?: number) => {
      const objective = await candidate.prepareScale(SETTINGS, image(32, 32, 6), [{ image: image(32, 32, 7), weight: 1 }], { tileSize });
      try {
        const before = collections;
        await objective.evaluate(x);
        await objective.evaluate(x);
        return collections - before;
      } finally {
        objective.dispose();
        candidate.dispose();
      }
    };
    assert.equal(await collectedDuring(await counting(32 * 32 * 12)), 2, 'untiled, at the threshold');
    assert.equal(await collectedDuring(await counting(32 * 32 * 12), 16), 2, 'tiled');
    assert.equal(await collectedDuring(await counting()), 0, 'a 32 px image is far below the default threshold');
  });
});
