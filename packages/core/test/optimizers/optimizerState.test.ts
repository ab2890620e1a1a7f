import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takeOptimizerState, type AdamState, type LbfgsState } from '../../src/optimizers/optimizerState.ts';

const values = (...v: number[]) => Float32Array.from(v);

describe('takeOptimizerState', () => {
  it("moves an L-BFGS state's arrays into the taken state and leaves the original without them", () => {
    const [x, grad, s, y] = [values(1, 2), values(3, 4), values(5, 6), values(7, 8)];
    const state: LbfgsState = {
      kind: 'lbfgs',
      tracked: { evaluations: 3, best: { x, loss: 2 }, bestLosses: Float64Array.from([5, 3, 2]) },
      x,
      grad,
      loss: 2,
      iterations: 2,
      evaluationsAtRestart: 0,
      pairs: [{ s, y, rho: 0.01 }],
      gamma: 0.5,
    };
    const taken = takeOptimizerState(state);
    assert.ok(taken.x === x && taken.grad === grad && taken.tracked.best?.x === x && taken.pairs[0].s === s, 'the same arrays, not copies');
    assert.deepEqual([taken.loss, taken.iterations, taken.gamma, taken.tracked.evaluations, taken.pairs.length], [2, 2, 0.5, 3, 1]);
    assert.deepEqual([state.x.length, state.grad.length, state.pairs.length, state.tracked.best], [0, 0, 0, undefined]);
  });

  it("moves an Adam state's x and moments", () => {
    const [x, m, v] = [values(1), values(2), values(3)];
    const state: AdamState = { kind: 'adam', tracked: { evaluations: 1, best: { x, loss: 1 }, bestLosses: Float64Array.from([1]) }, x, m, v, step: 2, iterations: 1 };
    const taken = takeOptimizerState(state);
    assert.ok(taken.x === x && taken.m === m && taken.v === v && taken.tracked.best?.x === x);
    assert.deepEqual([state.x.length, state.m.length, state.v.length, state.tracked.best], [0, 0, 0, undefined]);
  });
});
