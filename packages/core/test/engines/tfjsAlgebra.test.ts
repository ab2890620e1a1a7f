import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsAlgebra, type TfjsAlgebra } from '../../src/engines/tfjs/createTfjsAlgebra.ts';
import type { TensorAlgebra } from '../../src/objective/TensorAlgebra.ts';
import { useBackend, type BackendName } from '../helpers/backend.ts';
import { createFloat64Algebra, f64, type F64 } from '../helpers/float64Algebra.ts';
import { uniform } from '../helpers/random.ts';
import { relativeL2 } from '../helpers/reference.ts';
import { syntheticWeights } from '../helpers/weights.ts';

const weights = syntheticWeights('vgg16', 'block1_conv2', 7);
const reference = createFloat64Algebra(weights);

/** NCHW F64 ↔ NHWC tensor [1, H, W, C] (a 2-D or scalar F64 maps as it is). */
function toTensor(t: F64): tf.Tensor {
  if (t.dims.length !== 4) return tf.tensor(Float32Array.from(t.data), t.dims);
  const [, c, h, w] = t.dims;
  const out = new Float32Array(t.data.length);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(y * w + x) * c + ch] = t.data[(ch * h + y) * w + x];
  return tf.tensor4d(out, [1, h, w, c]);
}
function toF64(t: tf.Tensor): F64 {
  const data = t.dataSync();
  if (t.rank !== 4) return f64(t.shape, data);
  const [, h, w, c] = t.shape;
  const out = new Float64Array(data.length);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(ch * h + y) * w + x] = data[(y * w + x) * c + ch];
  return { dims: [1, c, h, w], data: out };
}

const random = (dims: number[], seed: number, low = -1, high = 1) => f64(dims, uniform(dims.reduce((a, b) => a * b, 1), seed, low, high));

for (const backend of ['cpu', 'wasm'] as BackendName[]) describe(`createTfjsAlgebra (${backend}): each operation against the float64 algebra, in its layout`, () => {
  let A: TfjsAlgebra;
  before(async () => {
    await useBackend(backend);
    A = createTfjsAlgebra(weights, ['block1_conv1', 'block1_conv2']);
  });
  after(() => A.dispose());

  /** Runs `op` on both algebras and compares within `tolerance` relative L2; no tensor may outlive the check. */
  function check(label: string, op: <T>(B: TensorAlgebra<T>, ...args: T[]) => T, inputs: F64[], tolerance = 1e-6) {
    const start = tf.memory().numTensors;
    const tensors = inputs.map(toTensor);
    const ours = op(A, ...tensors);
    const expected = op(reference, ...inputs);
    const actual = toF64(ours);
    tf.dispose([ours, ...tensors]);
    assert.equal(tf.memory().numTensors, start, `${label}: tensors left behind`);
    assert.deepEqual(actual.dims, expected.dims, `${label}: shape`);
    const error = relativeL2(actual.data, expected.data);
    assert.ok(error <= tolerance, `${label}: relative L2 ${error}`);
  }

  it('convRelu and its input gradient (ReLU mask, flipped kernel), on an odd 7×5 input', () => {
    const x = random([1, 64, 7, 5], 1);
    check('convRelu', (B, t) => B.convRelu(t, 'block1_conv2'), [x]);
    const y = reference.convRelu(x, 'block1_conv2');
    const zeros = y.data.filter((v) => v === 0).length;
    assert.ok(zeros > y.data.length / 10 && zeros < y.data.length * 0.9, `the ReLU cuts ${zeros} of ${y.data.length} units`);
    check('convReluInputGradient', (B, dy, out) => B.convReluInputGradient(dy, out, 'block1_conv2'), [random([1, 64, 7, 5], 2), y]);
  });

  for (const pooling of ['max', 'avg'] as const) {
    it(`${pooling} pooling and its gradient, odd sizes dropping the last row and column`, () => {
      const x = random([1, 3, 7, 6], 3, 0, 1);
      check('pool', (B, t) => B.pool(t, pooling), [x]);
      check('poolGradient', (B, dy, input, y) => B.poolGradient(dy, input, y, pooling), [random([1, 3, 3, 3], 4), x, reference.pool(x, pooling)]);
    });
  }

  it('the max-pooling gradient goes to the first maximum of a tie, also where the maximum is not positive', () => {
    // One channel, 3×9: window 0 ties four 2s, window 1 three, window 2 two −1s, window 3 four 0s; the last
    // row and column (9s) are dropped. (wasm's MaxPoolGrad takes the last maximum and drops windows 2 and 3.)
    const x = tf.tensor4d([2, 2, 1, 2, -1, -3, 0, 0, 9, 2, 2, 2, 2, -3, -1, 0, 0, 9, ...Array<number>(9).fill(9)], [1, 3, 9, 1]);
    const dy = tf.tensor4d([10, 20, 30, 40], [1, 1, 4, 1]);
    const y = tf.maxPool(x, 2, 2, 'valid');
    const first = Array<number>(27).fill(0);
    [first[0], first[3], first[4], first[6]] = [10, 20, 30, 40];
    const dx = A.poolGradient(dy, x, y, 'max');
    assert.deepEqual(Array.from(dx.dataSync()), first);
    tf.dispose([x, dy, y, dx]);
  });

  it('gram is C × C; gramBackward is M·F in the features’ shape, for an M that is not symmetric', () => {
    const f = random([1, 6, 3, 5], 5);
    check('gram', (B, t) => B.gram(t), [f]);
    check('gramBackward', (B, m, t) => B.gramBackward(m, t), [random([6, 6], 6), f]);
  });

  it('gram over 65,536 positions of ReLU-like features stays within 5e-7 of float64 (one float32 accumulator per entry, as wasm\'s matMul sums, lands 2e-6 away)', () => {
    const relu = random([1, 64, 256, 256], 12, -100, 100);
    relu.data = relu.data.map((v) => Math.max(0, v));
    check('gram', (B, t) => B.gram(t), [relu], 5e-7);
  });

  it('trim, pad and the staged sum work on the spatial dims of every channel', () => {
    const a = random([1, 3, 5, 4], 7);
    check('trim', (B, t) => B.trim(t, 1, 1, 2, 0), [a], 0);
    check('pad', (B, t) => B.pad(t, 1, 0, 2, 1), [a], 0);
    check('sum', (B, t) => B.sum(t), [random([1, 64, 40, 30], 8, 0, 1)]);
  });

  it('the elementwise operations', () => {
    const [a, b] = [random([1, 3, 4, 5], 9, 0.5, 2), random([1, 3, 4, 5], 10)];
    check('add', (B, s, t) => B.add(s, t), [a, b]);
    check('mul by position weights, broadcast over the channels', (B, s, t) => B.mul(s, t), [a, random([1, 1, 4, 5], 11)]);
    check('sub', (B, s, t) => B.sub(s, t), [a, b]);
    check('mul', (B, s, t) => B.mul(s, t), [a, b]);
    check('scale', (B, t) => B.scale(t, -2.5), [a]);
    check('shift', (B, t) => B.shift(t, 3), [a]);
    check('pow', (B, t) => B.pow(t, 1.25), [a]);
  });
});
