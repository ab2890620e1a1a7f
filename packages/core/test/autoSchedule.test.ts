/**
 * The auto schedule against one scale on the real blocks 1–3 weights (onnx-cpu, 128 px, Tübingen × Starry
 * Night): for the same cost in final-size evaluations it must reach a lower loss at the final size.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { stylize, type Engine, type RgbaImage, type StylizeOptions, type StylizeResult } from '../src/index.ts';
import { createOnnxEngine } from '../src/engines/onnx/createOnnxEngine.ts';
import { exampleImages } from './helpers/fixtures.ts';
import { loadRealWeights } from './helpers/weights.ts';

const OPTIONS: StylizeOptions = {
  size: 128,
  contentLayers: ['block2_conv2'],
  styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'],
  seed: 7,
};

/** Evaluations weighted by their pixels relative to the final scale's: what the run cost in final-size evaluations. */
function finalSizeEquivalent(stats: StylizeResult['stats']): number {
  const final = stats.scales[stats.scales.length - 1];
  return stats.scales.reduce((sum, s) => sum + (s.evaluations * s.width * s.height) / (final.width * final.height), 0);
}

describe('the auto schedule on the real weights', () => {
  let engine: Engine;
  let content: RgbaImage;
  let style: RgbaImage;
  before(async () => {
    engine = await createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } })('vgg16', await loadRealWeights('vgg16'));
    ({ tubingen: content, starryNight: style } = await exampleImages(256));
  });
  after(() => engine.dispose());

  it('reaches a lower loss at 128 px than one scale given the same final-size-equivalent evaluations', async (t) => {
    const auto = await stylize(engine, { content, styles: [{ image: style }], options: OPTIONS });
    const equivalent = Math.round(finalSizeEquivalent(auto.stats));
    const fixed = await stylize(engine, { content, styles: [{ image: style }], options: { ...OPTIONS, schedule: 'fixed', evaluations: equivalent } });
    t.diagnostic(
      `auto ${auto.stats.scales.map((s) => `${s.width}×${s.height}: ${s.evaluations} (${s.stopReason})`).join(', ')} → loss ${auto.stats.loss.total.toPrecision(5)}; ` +
        `fixed ${equivalent} at 128 px → loss ${fixed.stats.loss.total.toPrecision(5)}`,
    );
    assert.ok(auto.stats.scales.length > 1, 'several scales');
    assert.deepEqual([auto.image.width, auto.image.height], [fixed.image.width, fixed.image.height]);
    assert.ok(auto.stats.loss.total < fixed.stats.loss.total, `auto ${auto.stats.loss.total} vs fixed ${fixed.stats.loss.total}`);
  });
});
