import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createLbfgsHistory } from '../../src/optimizers/lbfgsHistory.ts';
import { maxAbsDifference } from './objectives.ts';

const vector = (values: number[]) => tf.tensor1d(values);

async function valuesOf(t: tf.Tensor): Promise<number[]> {
  const values = Array.from(await t.data());
  t.dispose();
  return values;
}

describe('createLbfgsHistory', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('gives −g when empty and −γg along directions no pair has seen (γ = sᵀy / yᵀy)', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const history = createLbfgsHistory(5);
    const g = vector([0, 1, 0]);
    assert.deepEqual(await valuesOf(history.direction(g)), [-0, -1, -0]);
    const [x, xNew, g0, g1] = [vector([0, 0, 0]), vector([1, 0, 0]), vector([0, 0, 0]), vector([2, 0, 0])];
    assert.equal(await history.update(x, g0, xNew, g1), true); // s = e1, y = 2·e1 → γ = 0.5
    assert.deepEqual(await valuesOf(history.direction(g)), [-0, -0.5, -0]);
    history.clear();
    tf.dispose([g, x, xNew, g0, g1]);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });

  it('satisfies the secant equation H·y = s for the newest pair', async () => {
    const history = createLbfgsHistory(5);
    const curvature = [2, 3, 5, 7];
    let x = vector([0, 0, 0, 0]);
    let g = vector([1, 2, 3, 4]);
    for (const s of [[0.5, -0.2, 0.1, 0.3], [0.1, 0.4, -0.3, 0.2], [-0.2, 0.1, 0.2, 0.5]]) {
      const y = s.map((si, i) => si * curvature[i]);
      const xNew = tf.add(x, vector(s)) as tf.Tensor1D;
      const gNew = tf.add(g, vector(y)) as tf.Tensor1D;
      assert.equal(await history.update(x, g, xNew, gNew), true);
      tf.dispose([x, g]);
      [x, g] = [xNew, gNew];
      const yTensor = vector(y);
      const d = await valuesOf(history.direction(yTensor));
      yTensor.dispose();
      assert.ok(maxAbsDifference(d, s.map((v) => -v)) < 1e-5, `direction ${d} vs −s ${s}`);
    }
    tf.dispose([x, g]);
    history.clear();
  });

  it('skips pairs without positive curvature and keeps at most `capacity` pairs', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const history = createLbfgsHistory(2);
    const zero = vector([0, 0]);
    const e1 = vector([1, 0]);
    const minusE1 = vector([-1, 0]);
    assert.equal(await history.update(zero, zero, e1, minusE1), false); // sᵀy = −1
    assert.equal(history.size, 0);
    for (let i = 0; i < 3; i++) assert.equal(await history.update(zero, zero, e1, e1), true);
    assert.equal(history.size, 2);
    history.clear();
    assert.equal(history.size, 0);
    tf.dispose([zero, e1, minusE1]);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });
});
