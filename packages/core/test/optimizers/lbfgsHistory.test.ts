import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLbfgsHistory } from '../../src/optimizers/lbfgsHistory.ts';
import { maxAbsDifference } from './objectives.ts';

const vector = (values: number[]) => Float32Array.from(values);
const add = (a: Float32Array, b: Float32Array) => a.map((v, i) => v + b[i]);

describe('createLbfgsHistory', () => {
  it('gives −g when empty and −γg along directions no pair has seen (γ = sᵀy / yᵀy)', () => {
    const history = createLbfgsHistory(5);
    const g = vector([0, 1, 0]);
    assert.deepEqual(Array.from(history.direction(g)), [-0, -1, -0]);
    const [x, xNew, g0, g1] = [vector([0, 0, 0]), vector([1, 0, 0]), vector([0, 0, 0]), vector([2, 0, 0])];
    assert.equal(history.update(x, g0, xNew, g1), true); // s = e1, y = 2·e1 → γ = 0.5
    assert.equal(history.gamma, 0.5);
    assert.deepEqual(Array.from(history.direction(g)), [-0, -0.5, -0]);
    assert.deepEqual(Array.from(g), [0, 1, 0], 'g is not modified');
  });

  it('satisfies the secant equation H·y = s for the newest pair', () => {
    const history = createLbfgsHistory(5);
    const curvature = [2, 3, 5, 7];
    let x = vector([0, 0, 0, 0]);
    let g = vector([1, 2, 3, 4]);
    for (const s of [[0.5, -0.2, 0.1, 0.3], [0.1, 0.4, -0.3, 0.2], [-0.2, 0.1, 0.2, 0.5]]) {
      const y = s.map((si, i) => si * curvature[i]);
      const xNew = add(x, vector(s));
      const gNew = add(g, vector(y));
      assert.equal(history.update(x, g, xNew, gNew), true);
      [x, g] = [xNew, gNew];
      const d = Array.from(history.direction(vector(y)));
      assert.ok(maxAbsDifference(d, s.map((v) => -v)) < 1e-5, `direction ${d} vs −s ${s}`);
    }
  });

  it('skips pairs without positive curvature and keeps at most `capacity` pairs', () => {
    const history = createLbfgsHistory(2);
    const zero = vector([0, 0]);
    const e1 = vector([1, 0]);
    const minusE1 = vector([-1, 0]);
    assert.equal(history.update(zero, zero, e1, minusE1), false); // sᵀy = −1
    assert.equal(history.size, 0);
    for (let i = 0; i < 3; i++) assert.equal(history.update(zero, zero, e1, e1), true);
    assert.equal(history.size, 2);
    history.clear();
    assert.equal(history.size, 0);
    assert.deepEqual(Array.from(history.direction(e1)), [-1, -0]);
  });
});
