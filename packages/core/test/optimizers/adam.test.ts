import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAdam, type Objective } from '../../src/optimizers/index.ts';
import { diagonalQuadratic, logSpacedEigenvalues, maxAbsDifference, recordingObjective } from './objectives.ts';

const DIMENSION = 20;
const MINIMIZER = Float64Array.from({ length: DIMENSION }, (_, i) => 100 * Math.cos(i));
const quadratic = diagonalQuadratic(logSpacedEigenvalues(DIMENSION, 100), MINIMIZER);

describe('createAdam', () => {
  it('decreases a quadratic, in pixel-scale units with the default learning rate', async () => {
    const { objective, calls } = recordingObjective(quadratic);
    const result = await createAdam().minimize(objective, new Float32Array(DIMENSION), 200);
    // Measured: loss 1.3e6 → 3.6e-4, max error 2.3e-3.
    assert.ok(result.loss < 1e-6 * calls[0].loss, `loss ${calls[0].loss} → ${result.loss}`);
    assert.ok(maxAbsDifference(result.x, MINIMIZER) < 0.1, `max error ${maxAbsDifference(result.x, MINIMIZER)}`);
  });

  it('makes exactly maxEvaluations calls, one per step, and returns the best point seen', async () => {
    for (const budget of [1, 2, 17]) {
      const { objective, calls } = recordingObjective(quadratic);
      // A large rate makes the loss oscillate, so the last point is not the best one.
      const result = await createAdam({ learningRate: 60 }).minimize(objective, new Float32Array(DIMENSION), budget);
      assert.deepEqual([calls.length, result.evaluations, result.iterations, result.stopReason], [budget, budget, budget - 1, 'budget']);
      const best = calls.reduce((a, b) => (b.loss < a.loss ? b : a));
      if (budget === 17) assert.notEqual(best, calls.at(-1)); // the case this test is about
      assert.equal(result.loss, best.loss);
      assert.deepEqual(Float64Array.from(result.x), best.x);
    }
  });

  it('leaves x0 unchanged, and rethrows an error from the objective at any evaluation', async () => {
    const { objective } = recordingObjective(quadratic);
    const x0 = Float32Array.from({ length: DIMENSION }, (_, i) => i);
    const copy = x0.slice();
    const result = await createAdam().minimize(objective, x0, 10);
    assert.notDeepEqual(result.x, copy);
    for (const failAt of [1, 2, 5]) {
      let calls = 0;
      const failure = new Error('aborted');
      const failing: Objective = async (x) => {
        if (++calls === failAt) throw failure;
        return objective(x);
      };
      await assert.rejects(createAdam().minimize(failing, x0, 10), (error) => error === failure);
      assert.equal(calls, failAt, 'no evaluation after the failure');
    }
    assert.deepEqual(x0, copy);
  });

  it('stops after the evaluation at which stopEarly says so, with stopReason plateau', async () => {
    const { objective, calls } = recordingObjective(quadratic);
    const result = await createAdam().minimize(objective, new Float32Array(DIMENSION), 200, { stopEarly: (best) => best.length === 12 });
    assert.deepEqual([calls.length, result.evaluations, result.stopReason], [12, 12, 'plateau']);
    assert.equal(result.loss, Math.min(...calls.map((c) => c.loss)));
  });

  it('rejects invalid configuration with errors naming the field', () => {
    assert.throws(() => createAdam({ learningRate: 0 }), /learningRate/);
    assert.throws(() => createAdam({ beta1: 1 }), /beta1/);
    assert.throws(() => createAdam({ beta2: -0.1 }), /beta2/);
    assert.throws(() => createAdam({ epsilon: 0 }), /epsilon/);
  });
});
