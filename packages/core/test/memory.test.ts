import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsEngine, DEFAULT_WEIGHTS, rgbaToRgb, toVggInput, vggArchitecture, type Engine, type ScaleObjective } from '../src/index.ts';
import { useBackend, type BackendName } from './helpers/backend.ts';
import { syntheticImage } from './helpers/images.ts';
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

/**
 * The bound is on tf.profile's peakBytes, which counts the bytes of every live tensor object (a reshape
 * sharing its input's data counts again), in units of one forward pass's activations: the forward pass
 * keeps every activation for the backward, which frees each layer's activation and gradient once it is past
 * it (objective.ts releases them). Measured at 64×48: 2.17× on cpu and on wasm; 3.4× with the autograd
 * engine before, 7.5× when tfjs kept everything to the end of the backward pass.
 */
for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`memory of one evaluation (${backend}, real VGG16 blocks 1–3, 64×48)`, () => {
    const [h, w] = [48, 64];
    let engine: Engine;
    let scale: ScaleObjective;

    before(async () => {
      await useBackend(backend);
      engine = createTfjsEngine('vgg16', await realWeightsUpTo('block3_conv3'));
      const vgg = (seed: number) => toVggInput(rgbaToRgb(syntheticImage(w, h, seed)));
      scale = await engine.prepareScale(
        {
          pooling: 'max',
          normalization: 'scale-invariant',
          contentLayers: ['block2_conv2'],
          styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'],
          styleLayerWeights: [1 / 3, 1 / 3, 1 / 3],
          ...DEFAULT_WEIGHTS['scale-invariant'],
        },
        vgg(1),
        [{ image: vgg(2), weight: 1 }],
      );
    });
    after(() => {
      scale.dispose();
      engine.dispose();
    });

    it('the value and gradient peak below 2.5× the activations of one forward pass, and leave nothing behind', async (t) => {
      const x = toVggInput(rgbaToRgb(syntheticImage(w, h, 3))).data;
      const before = tf.memory().numTensors;
      const bytesBefore = tf.memory().numBytes;
      let gradient: Float32Array | undefined;
      const profile = await tf.profile(async () => {
        gradient = (await scale.evaluate(x)).gradient;
      });
      const ratio = (profile.peakBytes - bytesBefore) / activationBytes(h, w);
      t.diagnostic(`peak ${(profile.peakBytes / 2 ** 20).toFixed(2)} MB, ${ratio.toFixed(2)}× one forward pass's activations`);
      assert.ok(ratio < 2.5, `peak ${ratio.toFixed(2)}× the activations`);
      assert.ok(Math.max(...gradient!.map(Math.abs)) > 0, 'a gradient came out');
      assert.equal(tf.memory().numTensors, before);
    });
  });
}
