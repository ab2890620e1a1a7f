/**
 * The normalisation claim (DESIGN.md): under 'scale-invariant' the same weights balance the terms the same
 * way at a preview size and at the final size; under 'notebook' they do not.
 *
 * Measured on a fixed (content, combination) pair at two sizes 8× apart: 128 px and 1024 px on the longest
 * side. (256 vs 2048 px, as first planned, cannot run on the wasm backend here: the 2048 px forward to
 * block2_conv2 ran out of wasm memory (XNNPACK allocation failure, then "memory access out of bounds" in
 * FusedConv2D) after 2 min 19 s; one 1024 px forward already takes 10–24 s on this machine.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTfjsEngine, fitLongestSide, resizeImage, rgbaToRgb, toVggInput, type Engine, type NormalizationName, type VggImage } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { loadImage } from './helpers/images.ts';
import { realWeightsUpTo } from './helpers/weights.ts';

const NORMALIZATION_NAMES: NormalizationName[] = ['scale-invariant', 'notebook'];

interface Ratios {
  content: number;
  style: number;
  tv: number;
  /** style / content and tv / content: the balance the weights set. */
  styleToContent: number;
  tvToContent: number;
}

/** How many times larger the bigger of a and b is. */
const factor = (a: number, b: number) => Math.max(a / b, b / a);

/** The three unweighted terms of `combination` against `content` and `style` (all VGG-preprocessed, same size). */
async function termsOf(
  engine: Engine,
  normalization: NormalizationName,
  layers: { content: string[]; style: string[] },
  images: { content: VggImage; style: VggImage; combination: VggImage },
): Promise<Ratios> {
  const settings = {
    pooling: 'max' as const,
    normalization,
    contentLayers: layers.content,
    styleLayers: layers.style,
    styleLayerWeights: layers.style.map(() => 1 / layers.style.length),
    contentWeight: 1,
    styleWeight: 1,
    tvWeight: 1,
  };
  const scale = await engine.prepareScale(settings, images.content, [{ image: images.style, weight: 1 }]);
  try {
    const { content, style, tv } = (await scale.evaluate(images.combination.data)).terms;
    return { content, style, tv, styleToContent: style / content, tvToContent: tv / content };
  } finally {
    scale.dispose();
  }
}

const describeRatios = (r: Ratios) =>
  `content ${r.content.toExponential(3)}, style ${r.style.toExponential(3)}, tv ${r.tv.toExponential(3)}; ` +
  `content:style:tv = 1 : ${r.styleToContent.toExponential(3)} : ${r.tvToContent.toExponential(3)}`;

describe('normalisation across sizes: real VGG16 (blocks 1–2), tubingen + starry night, 128 vs 1024 px', () => {
  const LAYERS = { content: ['block2_conv2'], style: ['block1_conv2', 'block2_conv2'] };
  let engine: Engine;

  before(async () => {
    await useBackend('wasm');
    engine = createTfjsEngine('vgg16', await realWeightsUpTo('block2_conv2'));
  });
  after(() => engine.dispose());

  it('scale-invariant keeps content:style and content:tv within 3× (notebook: content:style over 10×)', async (t) => {
    const contentRgb = rgbaToRgb(await loadImage('tubingen.jpg')); // 1024×768
    const styleRgb = rgbaToRgb(await loadImage('starry_night.jpg'));
    const results: Record<string, Record<number, Ratios>> = {};
    for (const side of [128, 1024]) {
      const started = performance.now();
      const [h, w] = fitLongestSide(contentRgb.height, contentRgb.width, side);
      // The pair, resized the way stylize resizes: the content, and the content blended 50/50 with the style.
      const c = resizeImage(contentRgb, h, w);
      const s = resizeImage(styleRgb, h, w);
      const half = { height: h, width: w, data: c.data.map((v, i) => 0.5 * v + 0.5 * s.data[i]) };
      const images = { content: toVggInput(c), style: toVggInput(s), combination: toVggInput(half) };
      for (const n of NORMALIZATION_NAMES) (results[n] ??= {})[side] = await termsOf(engine, n, LAYERS, images);
      t.diagnostic(`${side} px (${w}×${h}): ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    for (const n of NORMALIZATION_NAMES) for (const side of [128, 1024]) t.diagnostic(`${n} ${side} px: ${describeRatios(results[n][side])}`);
    const change = (n: NormalizationName, key: 'styleToContent' | 'tvToContent') => factor(results[n][128][key], results[n][1024][key]);
    for (const n of NORMALIZATION_NAMES) {
      t.diagnostic(`${n}: content:style changes ${change(n, 'styleToContent').toFixed(2)}×, content:tv ${change(n, 'tvToContent').toFixed(2)}×`);
    }

    // Measured: content:style scale-invariant 2.1×, notebook 30.6×; content:tv scale-invariant ≈ 2.4×.
    assert.ok(change('scale-invariant', 'styleToContent') < 3, 'scale-invariant content:style');
    assert.ok(change('scale-invariant', 'tvToContent') < 3, 'scale-invariant content:tv');
    assert.ok(change('notebook', 'styleToContent') > 10, 'notebook content:style');
    assert.ok(change('notebook', 'styleToContent') > 5 * change('scale-invariant', 'styleToContent'));
  });
});
