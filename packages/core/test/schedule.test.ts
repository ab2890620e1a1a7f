/**
 * The schedule against an engine that is not tfjs: stylize sees only prepareScale, evaluate and dispose,
 * on typed arrays. The fake engine's objective is ½‖x − content‖² (its gradient x − content), so a run
 * must paint the content back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIRST_PREVIEW_AT, FIRST_PREVIEW_MS } from '../src/stylize.ts';
import { PLATEAU } from '../src/plan/planSchedule.ts';
import {
  PasticheInputError,
  stylize,
  type StylizeProgress,
  type Engine,
  type ObjectiveSettings,
  type StylizeOptions,
  type VggImage,
} from '../src/index.ts';
import { syntheticImage } from './helpers/images.ts';

interface PreparedScale {
  settings: ObjectiveSettings;
  content: VggImage;
  styles: Array<{ height: number; width: number; weight: number }>;
  evaluations: number;
  disposed: number;
  tileSize?: number;
  contentPerTile?: boolean;
}

const LAYERS = ['block1_conv1', 'block1_conv2', 'block2_conv1', 'block2_conv2'];

/** fail.atEvaluation: that evaluation throws; flat: the loss is 1 everywhere (its gradient still 1: Adam keeps stepping). */
function createFakeEngine(fail: { atEvaluation?: number; flat?: boolean; slowMs?: number } = {}, limits: Engine['limits'] = {}): Engine & { scales: PreparedScale[] } {
  const scales: PreparedScale[] = [];
  let evaluations = 0;
  return {
    name: 'fake',
    model: 'vgg16',
    availableLayers: LAYERS,
    limits,
    scales,
    checkLayers(layers, field = 'layers') {
      for (const l of layers) if (!LAYERS.includes(l)) throw new PasticheInputError(field, `the fake engine lacks layer "${l}"`);
    },
    async prepareScale(settings, content, styles, tiling) {
      const scale: PreparedScale = {
        tileSize: tiling?.tileSize,
        contentPerTile: tiling?.contentPerTile,
        settings,
        content: { ...content, data: content.data.slice() },
        styles: styles.map((s) => ({ height: s.image.height, width: s.image.width, weight: s.weight })),
        evaluations: 0,
        disposed: 0,
      };
      scales.push(scale);
      return {
        height: content.height,
        width: content.width,
        async evaluate(x) {
          assert.equal(x.length, content.height * content.width * 3);
          if (++evaluations === fail.atEvaluation) throw new Error('the device was lost');
          scale.evaluations++;
          if (fail.slowMs) await new Promise((resolve) => setTimeout(resolve, fail.slowMs));
          if (fail.flat) return { terms: { total: 1, content: 1, style: 0, tv: 0 }, gradient: new Float32Array(x.length).fill(1) };
          const gradient = new Float32Array(x.length);
          let total = 0;
          for (let i = 0; i < x.length; i++) {
            gradient[i] = x[i] - scale.content.data[i];
            total += 0.5 * gradient[i] ** 2;
          }
          return { terms: { total, content: total, style: 0, tv: 0 }, gradient };
        },
        dispose() {
          scale.disposed++;
        },
      };
    },
    dispose() {},
  };
}

const content = syntheticImage(48, 36, 1);
const style = syntheticImage(30, 60, 2);
const OPTIONS: StylizeOptions = { size: 48, contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2'], styleLayerWeights: [1, 3], seed: 5 };

describe('the schedule on a fake engine', () => {
  it('prepares each scale once with the settings, the content and the resized styles, and paints the content back from noise', async () => {
    const engine = createFakeEngine();
    const result = await stylize(engine, { content, styles: [{ image: style, weight: 2 }], options: { ...OPTIONS, scales: 2, init: 'random', evaluations: [30, 30] } });
    assert.deepEqual(engine.scales.map((s) => [s.content.height, s.content.width]), [[18, 24], [36, 48]]);
    assert.deepEqual(engine.scales.map((s) => s.disposed), [1, 1]);
    assert.deepEqual(engine.scales.map((s) => s.evaluations), result.stats.scales.map((s) => s.evaluations));
    // Scale-invariant: each style keeps its aspect ratio, its longest side that of the scale.
    assert.deepEqual(engine.scales.map((s) => s.styles), [[{ height: 24, width: 12, weight: 2 }], [{ height: 48, width: 24, weight: 2 }]]);
    const { settings } = engine.scales[0];
    assert.deepEqual(settings.styleLayerWeights, [0.25, 0.75]);
    assert.deepEqual([settings.normalization, settings.pooling, settings.contentLayers], ['scale-invariant', 'max', ['block2_conv2']]);
    assert.equal(result.stats.backend, 'fake');
    assert.equal(result.stats.scales[1].stopReason, 'converged');
    assert.ok(result.stats.loss.total < 1e-3, `final loss ${result.stats.loss.total}`);
    let worst = 0;
    for (let i = 0; i < content.data.length; i++) if (i % 4 !== 3) worst = Math.max(worst, Math.abs(result.image.data[i] - content.data[i]));
    assert.ok(worst <= 1, `the result differs from the content by up to ${worst}`);
  });

  it('tiles the scales that would not fit the memory budget (the engine’s, or maxMemory), and only those', async () => {
    const big = syntheticImage(1200, 900, 3);
    const options = { ...OPTIONS, size: 1200, scales: 3, evaluations: 1, optimizer: 'adam' } as const;
    const roomy = createFakeEngine();
    await stylize(roomy, { content: big, styles: [{ image: style }], options });
    assert.deepEqual(roomy.scales.map((s) => s.tileSize), [undefined, undefined, undefined]);

    const tight = createFakeEngine({}, { memoryBytes: 600 * 2 ** 20 });
    await stylize(tight, { content: big, styles: [{ image: style }], options });
    const [coarse, middle, fine] = tight.scales.map((s) => s.tileSize);
    assert.equal(coarse, undefined);
    assert.ok(fine !== undefined && fine < 1200, `the 1200 px scale is tiled (tiles of ${fine})`);
    assert.ok(middle === undefined || middle >= fine, 'a smaller scale gets tiles at least as large');

    const asked = createFakeEngine({}, { memoryBytes: 600 * 2 ** 20 });
    await stylize(asked, { content: big, styles: [{ image: style }], options: { ...options, maxMemory: '64GB' } });
    assert.deepEqual(asked.scales.map((s) => s.tileSize), [undefined, undefined, undefined], 'maxMemory overrides the engine’s budget');

    // At 4096 px under 2 GB the content targets would not fit beside the optimiser: the plan has the
    // tiles compute them, and stylize tells the engine so.
    const poster = createFakeEngine({}, { memoryBytes: 2 * 2 ** 30 });
    const layers = { contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2'], styleLayerWeights: [1, 1] };
    await stylize(poster, { content: syntheticImage(400, 300, 3), styles: [{ image: style }], options: { ...options, ...layers, size: 4096, scales: 1, evaluations: 1 } });
    assert.ok(poster.scales[0].tileSize !== undefined && poster.scales[0].contentPerTile === true, `tiles of ${poster.scales[0].tileSize}, content per tile ${poster.scales[0].contentPerTile}`);
  });

  it('under the notebook normalisation gives the styles exactly the result’s positions (times styleScale)', async () => {
    const engine = createFakeEngine();
    await stylize(engine, { content, styles: [{ image: style }], options: { ...OPTIONS, normalization: 'notebook', styleScale: 0.5, evaluations: 2 } });
    assert.deepEqual(engine.scales[0].styles, [{ height: 18, width: 24, weight: 1 }]);
  });

  it('disposes the scale objective when an evaluation fails, when the run is aborted and when a callback throws', async () => {
    const failing = createFakeEngine({ atEvaluation: 3 });
    // Adam: it never stops before its budget.
    await assert.rejects(stylize(failing, { content, styles: [{ image: style }], options: { ...OPTIONS, optimizer: 'adam', init: 'random', evaluations: 10 } }), /device was lost/);
    assert.deepEqual(failing.scales.map((s) => s.disposed), [1]);

    const aborted = createFakeEngine();
    const controller = new AbortController();
    const run = stylize(aborted, { content, styles: [{ image: style }], options: { ...OPTIONS, optimizer: 'adam', init: 'random', scales: 2, evaluations: 10 } }, {
      signal: controller.signal,
      onProgress: (p) => void (p.scale === 1 && p.evaluation === 2 && controller.abort()),
    });
    await assert.rejects(run, { name: 'AbortError' });
    assert.deepEqual(aborted.scales.map((s) => [s.disposed, s.evaluations]), [[1, 10], [1, 2]]);

    const throwing = createFakeEngine();
    const boom = new Error('host failed');
    await assert.rejects(stylize(throwing, { content, styles: [{ image: style }], options: OPTIONS }, { onProgress: () => { throw boom; } }), boom);
    assert.deepEqual(throwing.scales.map((s) => s.disposed), [1]);
  });

  it('checks the layers and the model against the engine before any work', async () => {
    const engine = createFakeEngine();
    await assert.rejects(stylize(engine, { content, styles: [{ image: style }], options: { ...OPTIONS, styleLayers: ['block3_conv3'], styleLayerWeights: [1] } }), (error) => {
      assert.ok(error instanceof PasticheInputError);
      assert.equal(error.field, 'options.styleLayers');
      return true;
    });
    await assert.rejects(stylize(engine, { content, styles: [{ image: style }], options: { ...OPTIONS, model: 'vgg19' } }), /options.model is vgg19 but the engine runs vgg16/);
    assert.equal(engine.scales.length, 0);
  });

  it('auto (the default): the planned scales, each ended by the plateau rule when its loss is flat', async () => {
    const engine = createFakeEngine({ flat: true });
    const result = await stylize(engine, { content: syntheticImage(400, 300, 1), styles: [{ image: style }], options: { ...OPTIONS, size: 400, optimizer: 'adam' } });
    assert.deepEqual(
      result.stats.scales.map((s) => [s.width, s.height, s.evaluations, s.stopReason]),
      [[200, 150], [400, 300]].map(([w, h]) => [w, h, PLATEAU.window + 1, 'plateau']),
    );
    // schedule fixed: no plateau rule, the whole budget.
    const fixed = await stylize(createFakeEngine({ flat: true }), { content, styles: [{ image: style }], options: { ...OPTIONS, optimizer: 'adam', evaluations: 30 } });
    assert.deepEqual(fixed.stats.scales.map((s) => [s.evaluations, s.stopReason]), [[30, 'budget']]);
  });

  it('sends the first preview a few evaluations into the coarsest scale, and one as each later scale starts (the previous result)', async () => {
    const events: StylizeProgress[] = [];
    await stylize(createFakeEngine(), { content, styles: [{ image: style }], options: { ...OPTIONS, optimizer: 'adam', init: 'random' } }, {
      previewEvery: 1000,
      onProgress: (p) => void events.push(p),
    });
    const previews = events.filter((p) => p.preview).map((p) => [p.scale, p.evaluation, p.preview!.width, p.preview!.height]);
    assert.deepEqual(previews, [[0, FIRST_PREVIEW_AT, 24, 18], [1, 1, 48, 36]]);
    const secondScale = events.findIndex((p) => p.scale === 1);
    assert.ok(events.findIndex((p) => p.preview) < secondScale, 'the first preview comes before the second scale starts');
  });

  it('sends the first preview sooner where evaluations are slow: the first after FIRST_PREVIEW_MS, never the start image', async () => {
    const events: StylizeProgress[] = [];
    // Each evaluation takes ≥ FIRST_PREVIEW_MS / 2: FIRST_PREVIEW_MS have passed by the 3rd at the latest.
    await stylize(createFakeEngine({ slowMs: FIRST_PREVIEW_MS / 2 }), { content, styles: [{ image: style }], options: { ...OPTIONS, optimizer: 'adam', init: 'random', scales: 2, evaluations: [4, 1] } }, {
      previewEvery: 1000,
      onProgress: (p) => void events.push(p),
    });
    const first = events.find((p) => p.preview)!;
    assert.equal(first.scale, 0);
    assert.ok(first.evaluation === 2 || first.evaluation === 3, `the first preview came with evaluation ${first.evaluation}`);
    assert.equal(events.filter((p) => p.preview && p.scale === 0).length, 1, 'one early preview');
  });
});
