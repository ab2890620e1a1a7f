import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { resizeImage } from '../src/index.ts';
import { upsampleWithDetail } from '../src/image/upsampleWithDetail.ts';
import { useBackend } from './helpers/backend.ts';
import { uniform } from './helpers/random.ts';
import { maxAbs } from './helpers/reference.ts';

const diff = async (a: tf.Tensor, b: tf.Tensor) => {
  const d = tf.sub(a, b);
  const m = maxAbs(await d.data());
  d.dispose();
  return m;
};

describe('upsampleWithDetail (the start of each finer scale)', () => {
  let initial: tf.Tensor4D;
  before(async () => {
    await useBackend('cpu');
    initial = tf.tensor4d(uniform(12 * 10 * 3, 1, -100, 100), [1, 12, 10, 3]);
  });
  after(() => initial.dispose());

  it('a coarse result equal to the downsized content gives the content back (a Laplacian pyramid level)', async () => {
    const coarse = resizeImage(initial, 6, 5);
    const start = upsampleWithDetail(coarse, initial);
    assert.ok((await diff(start, initial)) < 1e-3);
    tf.dispose([coarse, start]);
  });

  it("adds the coarse result's change, upsampled, to the content: a change the coarse size can hold passes unaltered", async () => {
    const coarse = resizeImage(initial, 6, 5);
    const change = tf.fill([1, 6, 5, 3], 7) as tf.Tensor4D; // constant: upsampling keeps it exactly
    const changed = tf.add(coarse, change) as tf.Tensor4D;
    const start = upsampleWithDetail(changed, initial);
    const expected = tf.add(initial, 7);
    assert.ok((await diff(start, expected)) < 1e-3);
    // Plain upsampling would have lost the content's detail.
    const plain = resizeImage(changed, 12, 10);
    assert.ok((await diff(plain, expected)) > 10);
    tf.dispose([coarse, change, changed, start, expected, plain]);
  });
});
