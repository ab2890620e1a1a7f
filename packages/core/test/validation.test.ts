import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPastiche, DEFAULT_WEIGHTS, PasticheInputError, validateOptions, validateRequest, type Pastiche, type RgbaImage, type StylizeOptions, type StylizeRequest } from '../src/index.ts';
import { planSchedule } from '../src/plan/planSchedule.ts';
import { useBackend } from './helpers/backend.ts';
import { syntheticImage } from './helpers/images.ts';
import { realWeightsSource } from './helpers/weights.ts';

/** Asserts that `fn` throws a PasticheInputError for `field` whose message matches every pattern. */
function assertInputError(fn: () => unknown, field: string, ...patterns: RegExp[]) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof PasticheInputError, `expected a PasticheInputError, got ${String(error)}`);
    assert.equal(error.field, field);
    assert.ok(error.message.startsWith(`${field}: `), `the message names the field: ${error.message}`);
    for (const p of patterns) assert.match(error.message, p);
    return true;
  });
}

const image = (width = 2, height = 2): RgbaImage => ({ width, height, data: new Uint8Array(width * height * 4) });
const request = (overrides: Partial<StylizeRequest> = {}): StylizeRequest => ({ content: image(), styles: [{ image: image() }], ...overrides });
// Casts for inputs the types forbid but JSON from a plugin or an HTTP body can carry.
const anyOptions = (o: Record<string, unknown>) => o as StylizeOptions;

describe('validateOptions', () => {
  it('fills every default when nothing is given', () => {
    const o = validateOptions({});
    assert.equal(o.size, 512);
    assert.equal(o.normalization, 'scale-invariant');
    assert.deepEqual(o.styleLayerWeights, [1, 1, 1, 1, 1]);
    assert.deepEqual([o.schedule, o.scaleSides, o.evaluations], ['auto', planSchedule(512).sides, planSchedule(512).evaluations]);
    assert.deepEqual([o.contentWeight, o.styleWeight, o.tvWeight], Object.values(DEFAULT_WEIGHTS['scale-invariant']));
    assert.ok(Number.isInteger(o.seed) && o.seed >= 0 && o.seed < 2 ** 32);
    // The notebook normalisation brings the notebooks' weights.
    const n = validateOptions({ normalization: 'notebook' });
    assert.deepEqual([n.contentWeight, n.styleWeight, n.tvWeight], [0.025, 5, 1]);
  });

  it('an unknown option is named, with the known options listed', () => {
    assertInputError(() => validateOptions(anyOptions({ sizee: 256 })), 'options.sizee', /unknown option/, /known options: .*\bsize\b.*\bstyleWeight\b/);
  });

  it('a wrong enum value names the field and every allowed value', () => {
    assertInputError(() => validateOptions(anyOptions({ model: 'vgg11' })), 'options.model', /one of vgg16, vgg19/, /"vgg11"/);
    assertInputError(() => validateOptions(anyOptions({ pooling: 'min' })), 'options.pooling', /one of max, avg/);
    assertInputError(() => validateOptions(anyOptions({ normalization: 'gatys' })), 'options.normalization', /one of scale-invariant, notebook/);
    assertInputError(() => validateOptions(anyOptions({ optimizer: 'sgd' })), 'options.optimizer', /one of lbfgs, adam/);
    assertInputError(() => validateOptions(anyOptions({ init: 'zeros' })), 'options.init', /one of content, random, noisy-content/);
  });

  it('negative, NaN and infinite weights are refused with the allowed range', () => {
    assertInputError(() => validateOptions({ styleWeight: -1 }), 'options.styleWeight', /from 0 to/, /got -1/);
    assertInputError(() => validateOptions({ contentWeight: NaN }), 'options.contentWeight', /a number from 0/, /got NaN/);
    assertInputError(() => validateOptions({ tvWeight: Infinity }), 'options.tvWeight', /got Infinity/);
    assertInputError(() => validateOptions({ styleLayers: ['block1_conv1', 'block2_conv1'], styleLayerWeights: [1, -0.5] }), 'options.styleLayerWeights[1]', /from 0/);
  });

  it('size 0, a size above the maximum and a fractional size name the allowed integer range', () => {
    assertInputError(() => validateOptions({ size: 0 }), 'options.size', /an integer from 16 to 8192/, /got 0/);
    assertInputError(() => validateOptions({ size: 8193 }), 'options.size', /an integer from 16 to 8192/, /got 8193/);
    assertInputError(() => validateOptions({ size: 100.5 }), 'options.size', /an integer/);
    assert.equal(validateOptions({ size: 8192 }).size, 8192);
    assert.equal(validateOptions({ size: 16 }).size, 16);
  });

  it('all three loss weights 0 is refused (the objective would not depend on the image); any one of them above 0 is fine', () => {
    assertInputError(() => validateOptions({ contentWeight: 0, styleWeight: 0, tvWeight: 0 }), 'options', /contentWeight, styleWeight and tvWeight are all 0/);
    assertInputError(() => validateOptions({ normalization: 'notebook', contentWeight: 0, styleWeight: 0, tvWeight: 0 }), 'options', /all 0/);
    assert.equal(validateOptions({ contentWeight: 0, styleWeight: 0 }).tvWeight, DEFAULT_WEIGHTS['scale-invariant'].tvWeight);
    assert.equal(validateOptions({ contentWeight: 0, tvWeight: 0, styleWeight: 2 }).styleWeight, 2);
  });

  it('styleLayerWeights must have one weight per style layer (default layers included)', () => {
    assertInputError(
      () => validateOptions({ styleLayers: ['block1_conv1', 'block2_conv1'], styleLayerWeights: [1] }),
      'options.styleLayerWeights',
      /one weight per style layer \(2\), got 1/,
    );
    assertInputError(() => validateOptions({ styleLayerWeights: [1, 2] }), 'options.styleLayerWeights', /\(5\), got 2/);
    assertInputError(() => validateOptions({ styleLayers: ['block1_conv1'], styleLayerWeights: [0] }), 'options.styleLayerWeights', /above 0/);
  });

  it('layer names, per-scale budgets and scales are checked', () => {
    assertInputError(() => validateOptions({ contentLayers: ['conv9'] }), 'options.contentLayers[0]', /layer name such as block2_conv2/, /"conv9"/);
    assertInputError(() => validateOptions({ scales: 2, evaluations: [10, 20, 30] }), 'options.evaluations', /one budget per scale \(2\), got 3/);
    assertInputError(() => validateOptions({ size: 64, scales: 4 }), 'options.scales', /coarsest 8 px/);
    assert.deepEqual(validateOptions({ scales: 3, evaluations: 7 }).evaluations, [7, 7, 7]);
  });
});

describe('validateRequest', () => {
  it('accepts a good request and fills the style weights', () => {
    const r = validateRequest(request({ styles: [{ image: image() }, { image: image(), weight: 0.5 }] }));
    assert.deepEqual(r.styles.map((s) => s.weight), [1, 0.5]);
  });

  it('no styles, too many styles and all style weights 0 are refused on "styles"', () => {
    assertInputError(() => validateRequest(request({ styles: [] })), 'styles', /at least one style image/);
    assertInputError(() => validateRequest(request({ styles: Array.from({ length: 17 }, () => ({ image: image() })) })), 'styles', /at most 16/);
    assertInputError(
      () => validateRequest(request({ styles: [{ image: image(), weight: 0 }, { image: image(), weight: 0 }] })),
      'styles',
      /at least one style weight must be above 0/,
    );
  });

  it('a negative or NaN style weight names that style', () => {
    assertInputError(() => validateRequest(request({ styles: [{ image: image() }, { image: image(), weight: -1 }] })), 'styles[1].weight', /≥ 0/, /got -1/);
    assertInputError(() => validateRequest(request({ styles: [{ image: image(), weight: NaN }] })), 'styles[0].weight', /got NaN/);
  });

  it('an image whose byte length does not match its size names the image and both lengths', () => {
    assertInputError(() => validateRequest(request({ content: { width: 2, height: 2, data: new Uint8Array(15) } })), 'content', /expected 16 RGBA bytes for 2×2, got 15/);
    assertInputError(
      () => validateRequest(request({ styles: [{ image: image() }, { image: { width: 3, height: 1, data: new Uint8Array(16) } }] })),
      'styles[1].image',
      /expected 12 RGBA bytes for 3×1, got 16/,
    );
    assertInputError(() => validateRequest(request({ content: { width: 0, height: 2, data: new Uint8Array(0) } })), 'content', /positive integer width and height/);
    assertInputError(() => validateRequest(request({ content: { width: 1, height: 1, data: [1, 2, 3, 4] as unknown as Uint8Array } })), 'content', /RGBA bytes/);
  });

  it('an init image goes with options.init "image", and only with it; a malformed one names initImage', () => {
    assert.equal(validateRequest(request({ initImage: image(3, 1), options: { init: 'image' } })).initImage?.width, 3);
    assertInputError(() => validateRequest(request({ options: { init: 'image' } })), 'initImage', /options\.init is "image" but no initImage was given/);
    assertInputError(() => validateRequest(request({ initImage: image() })), 'initImage', /an initImage was given but options\.init is "content", not "image"/);
    assertInputError(() => validateRequest(request({ initImage: { width: 2, height: 2, data: new Uint8Array(3) }, options: { init: 'image' } })), 'initImage', /expected 16 RGBA bytes/);
  });

  it('masks: a malformed or empty (black, transparent) one names its field; any size and a grey one pass', () => {
    const filled = (width: number, height: number, rgba: [number, number, number, number]): RgbaImage => ({ width, height, data: Uint8Array.from({ length: width * height * 4 }, (_, i) => rgba[i % 4]) });
    assertInputError(() => validateRequest(request({ styles: [{ image: image() }, { image: image(), mask: { width: 2, height: 2, data: new Uint8Array(3) } }] })), 'styles[1].mask', /expected 16 RGBA bytes/);
    assertInputError(() => validateRequest(request({ styles: [{ image: image(), mask: filled(3, 5, [0, 0, 0, 255]) }] })), 'styles[0].mask', /empty/, /no mask to paint it everywhere/);
    assertInputError(() => validateRequest(request({ styles: [{ image: image(), mask: filled(3, 5, [255, 255, 255, 0]) }] })), 'styles[0].mask', /empty/);
    assertInputError(() => validateRequest(request({ contentMask: filled(2, 2, [0, 0, 0, 0]) })), 'contentMask', /empty/, /contentWeight to 0/);
    const grey = filled(7, 3, [128, 128, 128, 255]);
    const resolved = validateRequest(request({ styles: [{ image: image(), mask: grey }, { image: image() }], contentMask: grey }));
    assert.equal(resolved.styles[0].mask, grey);
    assert.equal(resolved.styles[1].mask, undefined);
    assert.equal(resolved.contentMask, grey);
  });

  it('bad options inside a request are reported with their path', () => {
    assertInputError(() => validateRequest(request({ options: anyOptions({ model: 'resnet' }) })), 'options.model', /one of vgg16, vgg19/);
  });
});

describe('minimum working sizes: every image the network sees keeps a pixel through its deepest layer', () => {
  // Up to block3_conv3: two 2×2 poolings, so 4 px at least. Below that a side reaches 0 and the threaded wasm backend corrupts its memory.
  const block3 = { contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block3_conv3'] };

  it('a 200×1 or 64×2 content at size 32 (painted 32×1) is refused on "content", naming the limit and the layer', () => {
    for (const content of [image(200, 1), image(64, 2)]) {
      assertInputError(() => validateRequest(request({ content, options: { size: 32, ...block3 } })), 'content', /painted 32×1 px at 32 px/, /at least 4 px for block3_conv3 \(the minimum working size\)/);
    }
  });

  it('the default layers reach block 5: 16 px; the coarsest scale decides', () => {
    assertInputError(() => validateRequest(request({ content: image(64, 8), options: { size: 64 } })), 'content', /painted 64×8 px/, /at least 16 px for block5_conv3/);
    assert.doesNotThrow(() => validateRequest(request({ content: image(64, 24), options: { size: 64 } })));
    assertInputError(() => validateRequest(request({ content: image(64, 24), options: { size: 64, scales: 2 } })), 'content', /painted 32×12 px at the coarsest of 2 scales \(32 px\)/);
  });

  it('styleScale 0.05 at size 32 (2 px styles) is refused on "options.styleScale"', () => {
    assertInputError(() => validateRequest(request({ content: image(32, 32), options: { size: 32, styleScale: 0.05, ...block3 } })), 'options.styleScale', /used at 2×2 px/, /at least 4 px/);
    assertInputError(
      () => validateRequest(request({ content: image(32, 32), options: { size: 32, styleScale: 0.05, normalization: 'notebook', ...block3 } })),
      'options.styleScale',
      /used at 2×2 px/,
    );
  });

  it('an elongated style image is refused on that image; exactly the minimum passes', () => {
    const styles = [{ image: image(10, 10) }, { image: image(400, 10) }];
    assertInputError(() => validateRequest(request({ content: image(64, 64), styles, options: { size: 64, ...block3 } })), 'styles[1].image', /style 2 is used at 64×2 px/);
    assert.doesNotThrow(() => validateRequest(request({ content: image(32, 4), styles: [{ image: image(4, 4) }], options: { size: 32, ...block3 } })));
  });
});

describe('layers the weights lack (createPastiche with the real blocks 1–3 weights)', () => {
  let pastiche: Pastiche;
  const content = syntheticImage(24, 16, 1);
  const style = syntheticImage(16, 16, 2);

  before(async () => {
    await useBackend('wasm');
    pastiche = createPastiche({ weights: { vgg16: realWeightsSource('vgg16') } });
  });
  after(() => pastiche.dispose());

  it('asking for block4_conv3 fails naming the layer and every layer present', async () => {
    await assert.rejects(
      pastiche.stylize({ content, styles: [{ image: style }], options: { size: 16, styleLayers: ['block1_conv2', 'block4_conv3'], evaluations: 1 } }),
      (error: Error) => {
        assert.ok(error instanceof PasticheInputError, String(error));
        assert.equal(error.field, 'options.styleLayers');
        assert.match(error.message, /"block4_conv3"/);
        assert.match(error.message, /layers present: block1_conv1, block1_conv2, block2_conv1, block2_conv2, block3_conv1, block3_conv2, block3_conv3$/);
        return true;
      },
    );
    await assert.rejects(
      pastiche.stylize({ content, styles: [{ image: style }], options: { size: 24, contentLayers: ['block5_conv1'], styleLayers: ['block1_conv2'], evaluations: 1 } }),
      /options\.contentLayers: .*"block5_conv1".*layers present: .*block3_conv3$/,
    );
    // VGG16 has no conv4 in block 3 at all (VGG19 has).
    await assert.rejects(
      pastiche.stylize({ content, styles: [{ image: style }], options: { size: 16, styleLayers: ['block3_conv4'], evaluations: 1 } }),
      /vgg16 has no layer "block3_conv4"/,
    );
  });

  it('a model without configured weights is named with the ones available', async () => {
    await assert.rejects(
      pastiche.stylize({ content, styles: [{ image: style }], options: { model: 'vgg19', size: 16, evaluations: 1 } }),
      /options\.model: no weights configured for vgg19; available: vgg16/,
    );
  });

  it('the same engine then runs a request within the layers present', async () => {
    const result = await pastiche.stylize({
      content,
      styles: [{ image: style }],
      options: { size: 16, contentLayers: ['block3_conv3'], styleLayers: ['block1_conv2', 'block3_conv3'], evaluations: 2, seed: 1 },
    });
    assert.deepEqual([result.image.width, result.image.height], [16, 11]);
  });
});
