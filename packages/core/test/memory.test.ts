import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  computeTargets,
  createTfjsEngine,
  createVggFeatureExtractor,
  DEFAULT_WEIGHTS,
  disposeTargets,
  lossTerms,
  NORMALIZATIONS,
  rgbaToRgb,
  shareIdentityData,
  toVggInput,
  vggArchitecture,
  type LossSettings,
  type Targets,
  type VggFeatureExtractor,
} from '../src/index.ts';
import { useBackend, type BackendName } from './helpers/backend.ts';
import { syntheticImage } from './helpers/images.ts';
import { vggTensor } from './helpers/vggTensor.ts';
import { realWeightsUpTo } from './helpers/weights.ts';

/** Bytes of every activation VGG16 computes up to block3_conv3 for an h × w image (float32). */
function activationBytes(h: number, w: number): number {
  let [bytes, channels] = [0, 3];
  for (const step of vggArchitecture('vgg16')) {
    if (step.kind === 'pool') [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    else channels = step.outChannels;
    bytes += h * w * channels * 4;
    if (step.kind === 'conv' && step.name === 'block3_conv3') return bytes;
  }
  throw new Error('VGG16 has no block3_conv3');
}

describe('shareIdentityData (wasm)', () => {
  before(() => useBackend('wasm'));
  it('tf.clone shares the data under a reference: no new buffer, and the clone outlives the original', async () => {
    shareIdentityData('wasm');
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const buffers = tf.engine().backend.numDataIds();
    const y = tf.clone(x);
    assert.equal(tf.engine().backend.numDataIds(), buffers, 'the clone made no new buffer');
    x.dispose();
    assert.deepEqual(Array.from(await y.data()), [1, 2, 3, 4]);
    y.dispose();
  });
});

/**
 * tfjs keeps every gradient and saved tensor of a backward pass until the pass ends; the ops free them as
 * they go instead (releaseAfterBackward) and the extractor frees activations it no longer returns. The
 * bound is on tf.profile's peakBytes, which counts the bytes of every live tensor object (data shared by
 * several objects counts each time; each saved activation is one), in units of one forward pass's
 * activations. Measured at 64×48: 3.4× on cpu and on wasm; 7.5× when tfjs kept everything to the end.
 */
for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`memory of one evaluation (${backend}, real VGG16 blocks 1–3, 64×48)`, () => {
    let extractor: VggFeatureExtractor;
    let targets: Targets;
    let settings: LossSettings;
    const [h, w] = [48, 64];

    before(async () => {
      await useBackend(backend);
      extractor = createVggFeatureExtractor('vgg16', await realWeightsUpTo('block3_conv3'));
      settings = {
        extractor,
        pooling: 'max',
        normalization: NORMALIZATIONS['scale-invariant'],
        contentLayers: ['block2_conv2'],
        styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'],
        styleLayerWeights: [1 / 3, 1 / 3, 1 / 3],
        ...DEFAULT_WEIGHTS['scale-invariant'],
      };
      const vgg = (seed: number) => vggTensor(syntheticImage(w, h, seed));
      const [content, style] = [vgg(1), vgg(2)];
      targets = await computeTargets(content, [{ image: style, weight: 1 }], settings);
      tf.dispose([content, style]);
    });
    after(() => {
      disposeTargets(targets);
      extractor.dispose();
    });

    it('the value and gradient peak below 4× the activations of one forward pass, and leave nothing behind', async (t) => {
      const x = vggTensor(syntheticImage(w, h, 3));
      const before = tf.memory().numTensors;
      const bytesBefore = tf.memory().numBytes;
      let grad: tf.Tensor | undefined;
      const profile = await tf.profile(() => {
        const { value, grads } = tf.valueAndGrads((image: tf.Tensor) => {
          const terms = lossTerms(image as tf.Tensor4D, targets, settings);
          return tf.addN([terms.content, terms.style, terms.tv]) as tf.Scalar;
        })([x]);
        value.dispose();
        grad = grads[0];
      });
      const ratio = (profile.peakBytes - bytesBefore) / activationBytes(h, w);
      t.diagnostic(`peak ${(profile.peakBytes / 2 ** 20).toFixed(2)} MB, ${ratio.toFixed(2)}× one forward pass's activations`);
      assert.ok(ratio < 4, `peak ${ratio.toFixed(2)}× the activations`);
      assert.ok(Math.max(...(await grad!.data()).map(Math.abs)) > 0, 'a gradient came out');
      grad!.dispose();
      assert.equal(tf.memory().numTensors, before);
      x.dispose();
    });
  });
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`the tfjs engine (${backend}, real VGG16 blocks 1–2, 24×32)`, () => {
    before(() => useBackend(backend));

    it('keeps tf.memory().numTensors flat across evaluations, and back at its start once the scale and the engine are disposed', async () => {
      const before = tf.memory().numTensors;
      const engine = createTfjsEngine('vgg16', await realWeightsUpTo('block2_conv2'), { name: `tfjs-${backend}` });
      assert.equal(engine.name, `tfjs-${backend}`);
      const vgg = (seed: number) => toVggInput(rgbaToRgb(syntheticImage(32, 24, seed)));
      const scale = await engine.prepareScale(
        {
          pooling: 'max',
          normalization: 'scale-invariant',
          contentLayers: ['block2_conv2'],
          styleLayers: ['block1_conv2', 'block2_conv2'],
          styleLayerWeights: [0.5, 0.5],
          ...DEFAULT_WEIGHTS['scale-invariant'],
        },
        vgg(1),
        [{ image: vgg(2), weight: 1 }],
      );
      assert.deepEqual([scale.height, scale.width], [24, 32]);
      const x = vgg(3).data;
      const copy = x.slice();
      const counts: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await scale.evaluate(x);
        counts.push(tf.memory().numTensors);
      }
      assert.equal(new Set(counts).size, 1, `numTensors after each evaluation: ${counts}`);
      assert.deepEqual(x, copy, 'x is not modified');
      assert.ok(last!.gradient instanceof Float32Array && last!.gradient.length === x.length);
      const { total, content, style, tv } = last!.terms;
      assert.ok(Math.abs(total - (content + style + tv)) <= 1e-5 * total && content > 0 && style > 0 && tv > 0, JSON.stringify(last!.terms));
      await assert.rejects(scale.evaluate(new Float32Array(5)), /expected 24×32×3 = 2304 values, got 5/);
      scale.dispose();
      await assert.rejects(scale.evaluate(x), /disposed/);
      engine.dispose();
      assert.equal(tf.memory().numTensors, before);
    });
  });
}
