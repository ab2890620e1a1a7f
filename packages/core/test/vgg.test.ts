import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsEngine, stepsThrough, vggArchitecture, vggConvLayerNames, type ConvWeightsByLayer, type Pooling, type VggModelName } from '../src/index.ts';
import { createTfjsAlgebra } from '../src/engines/tfjs/createTfjsAlgebra.ts';
import { features } from '../src/objective/objective.ts';
import { useBackend } from './helpers/backend.ts';
import { syntheticImage } from './helpers/images.ts';
import { vggTensor } from './helpers/vggTensor.ts';
import { maxAbs, maxAbsDifference } from './helpers/reference.ts';
import { loadRealWeights, syntheticWeights } from './helpers/weights.ts';

/** VGG written plainly with stock tfjs ops: relu(conv2d + bias) per conv, a 2×2 pool after each block. */
function referenceFeatures(model: VggModelName, weights: ConvWeightsByLayer, input: tf.Tensor4D, layer: string, pooling: Pooling): tf.Tensor4D {
  return tf.tidy(() => {
    let x = input;
    for (const step of vggArchitecture(model)) {
      if (step.kind === 'pool') {
        x = pooling === 'max' ? tf.maxPool(x, 2, 2, 'valid') : tf.avgPool(x, 2, 2, 'valid');
        continue;
      }
      const w = weights.get(step.name)!;
      x = tf.relu(tf.add(tf.conv2d(x, tf.tensor4d(w.kernel, w.kernelShape), 1, 'same'), tf.tensor1d(w.bias))) as tf.Tensor4D;
      if (step.name === layer) return x;
    }
    throw new Error(`no layer ${layer}`);
  });
}

describe('VGG features on the tfjs algebra', () => {
  before(() => useBackend('wasm'));

  for (const pooling of ['max', 'avg'] as Pooling[]) {
    it(`real VGG16 blocks 1–3 (${pooling} pooling): features equal a plain tfjs forward pass at every requested layer`, async () => {
      const weights = await loadRealWeights('vgg16');
      const A = createTfjsAlgebra(weights, vggConvLayerNames('vgg16').slice(0, 7));
      const input = vggTensor(syntheticImage(20, 16, 3));
      const layers = ['block1_conv2', 'block2_conv1', 'block3_conv3'];
      const all = tf.tidy(() => {
        const F = features(A, stepsThrough('vgg16', layers), pooling, input);
        return layers.map((l) => F.get(l)!);
      });
      const found = layers.map((l, i) => [l, all[i]] as const);
      const shapes: Record<string, number[]> = { block1_conv2: [1, 16, 20, 64], block2_conv1: [1, 8, 10, 128], block3_conv3: [1, 4, 5, 256] };
      for (const [layer, f] of found) {
        assert.deepEqual(f.shape, shapes[layer], layer);
        const reference = referenceFeatures('vgg16', weights, input, layer, pooling);
        const expected = await reference.data();
        assert.ok(maxAbs(expected) > 1, layer);
        assert.ok(maxAbsDifference(await f.data(), expected) <= 1e-4 * maxAbs(expected), `${layer}: max difference ${maxAbsDifference(await f.data(), expected)}`);
        reference.dispose();
      }
      tf.dispose([input, ...all]);
      A.dispose();
    });
  }

  it('the architectures: VGG16 has 13 conv layers ending in block5_conv3, VGG19 16 ending in block5_conv4, Keras names', () => {
    assert.deepEqual(vggConvLayerNames('vgg16'), [
      'block1_conv1', 'block1_conv2', 'block2_conv1', 'block2_conv2',
      'block3_conv1', 'block3_conv2', 'block3_conv3', 'block4_conv1', 'block4_conv2', 'block4_conv3',
      'block5_conv1', 'block5_conv2', 'block5_conv3',
    ]);
    const vgg19 = vggConvLayerNames('vgg19');
    assert.equal(vgg19.length, 16);
    assert.deepEqual(vgg19.filter((l) => l.endsWith('_conv4')), ['block3_conv4', 'block4_conv4', 'block5_conv4']);
    assert.equal(vggArchitecture('vgg19').filter((s) => s.kind === 'pool').length, 5);
  });

  it('VGG19 at full depth (seeded synthetic weights): every layer present, block5_conv4 is [1, h/16, w/16, 512]', () => {
    const weights = syntheticWeights('vgg19', 'block5_conv4', 3);
    const engine = createTfjsEngine('vgg19', weights);
    assert.deepEqual(engine.availableLayers, vggConvLayerNames('vgg19'));
    engine.dispose();
    const A = createTfjsAlgebra(weights, vggConvLayerNames('vgg19'));
    const input = vggTensor(syntheticImage(48, 32, 4));
    const before = tf.memory().numTensors;
    const shapes = tf.tidy(() => {
      const F = features(A, stepsThrough('vgg19', ['block5_conv4']), 'max', input);
      return [F.get('block4_conv4')!.shape, F.get('block5_conv4')!.shape];
    });
    assert.deepEqual(shapes, [
      [1, 4, 6, 512],
      [1, 2, 3, 512],
    ]);
    assert.equal(tf.memory().numTensors, before);
    input.dispose();
    A.dispose();
  });

  it('weights of a wrong shape are refused naming the layer and both shapes', () => {
    const weights = syntheticWeights('vgg16', 'block1_conv2', 1);
    const w = weights.get('block1_conv2')!;
    weights.set('block1_conv2', { ...w, kernelShape: [3, 3, 64, 32], bias: w.bias.slice(0, 32) });
    assert.throws(() => createTfjsEngine('vgg16', weights), /block1_conv2 have kernel \[3,3,64,32\] and 32 biases, expected \[3,3,64,64\] and 64/);
  });
});
