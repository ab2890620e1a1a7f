import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLbfgs, DEFAULT_LBFGS_CONFIG, type LbfgsIterationInfo } from '../../src/optimizers/index.ts';
import type { Objective } from '../../src/optimizers/index.ts';
import {
  diagonalQuadratic,
  dot,
  logSpacedEigenvalues,
  maxAbsDifference,
  recordingObjective,
  rosenbrock,
  type HostFunction,
  type RecordedCall,
} from './objectives.ts';

const DIMENSION = 50;
const EIGENVALUES = logSpacedEigenvalues(DIMENSION, 1e4);
const QUADRATIC_MINIMIZER = Float64Array.from({ length: DIMENSION }, (_, i) => 3 * Math.sin(i + 1));
const quadratic = diagonalQuadratic(EIGENVALUES, QUADRATIC_MINIMIZER);

/** The same quadratic in float32, as an engine computes the style-transfer loss. */
const float32Quadratic: Objective = async (x) => {
  const grad = new Float32Array(x.length);
  let loss = 0;
  for (let i = 0; i < x.length; i++) {
    const error = Math.fround(x[i] - QUADRATIC_MINIMIZER[i]);
    grad[i] = EIGENVALUES[i] * error;
    loss += 0.5 * grad[i] * error;
  }
  return { loss: Math.fround(loss), grad };
};

async function minimizeHost(fn: HostFunction, start: ArrayLike<number>, budget: number, config = {}) {
  const { objective, calls } = recordingObjective(fn);
  const events: LbfgsIterationInfo[] = [];
  const result = await createLbfgs({ ...config, onIteration: (info) => events.push(info) }).minimize(objective, Float32Array.from(start), budget);
  const x = Float64Array.from(result.x);
  return { result, x, calls, events };
}

/** Index of the call that produced the accepted point of each iteration (matched by loss). */
function acceptedCallIndices(calls: RecordedCall[], events: LbfgsIterationInfo[]): number[] {
  return events.map((event) => {
    const index = calls.findIndex((call, i) => i < event.evaluations && call.loss === event.loss);
    assert.ok(index >= 0, `iteration ${event.iteration}: no call with its loss`);
    return index;
  });
}

function assertAcceptedStepsSatisfyStrongWolfe(calls: RecordedCall[], events: LbfgsIterationInfo[]) {
  const { c1, c2 } = DEFAULT_LBFGS_CONFIG;
  let previous = calls[0];
  for (const index of acceptedCallIndices(calls, events)) {
    const next = calls[index];
    // The conditions are invariant to scaling the direction, so check them along s = x_{k+1} − x_k.
    const s = next.x.map((v, i) => v - previous.x[i]);
    const slope0 = dot(previous.grad, s);
    assert.ok(slope0 < 0, `step ${index} is not a descent step`);
    assert.ok(next.loss <= previous.loss + c1 * slope0, `sufficient decrease fails at call ${index}`);
    assert.ok(Math.abs(dot(next.grad, s)) <= c2 * Math.abs(slope0), `curvature fails at call ${index}`);
    previous = next;
  }
}

describe('createLbfgs', () => {
  it('minimises the 2-D Rosenbrock function from (−1.2, 1) to (1, 1)', async () => {
    const { result, x, calls } = await minimizeHost(rosenbrock, [-1.2, 1], 100);
    assert.equal(result.stopReason, 'converged');
    assert.ok(maxAbsDifference(x, [1, 1]) < 1e-4, `x = ${x}`);
    assert.ok(result.evaluations <= 60, `${result.evaluations} evaluations`); // measured 45 (scipy: 44)
    assert.equal(result.evaluations, calls.length);
  });

  it('minimises a 100-dimensional Rosenbrock chain', async () => {
    const start = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const { result, x } = await minimizeHost(rosenbrock, start, 1000);
    assert.equal(result.stopReason, 'converged');
    assert.ok(maxAbsDifference(x, new Float64Array(100).fill(1)) < 1e-3);
    assert.ok(result.evaluations <= 750, `${result.evaluations} evaluations`); // measured 603 (scipy: 604)
  });

  it('solves an ill-conditioned quadratic (κ = 1e4, n = 50) far faster than gradient descent', async () => {
    const tolerance = 1e-3;
    const { result, x, calls } = await minimizeHost(quadratic, new Float64Array(DIMENSION), 2000);
    assert.equal(result.stopReason, 'converged');
    assert.ok(maxAbsDifference(x, QUADRATIC_MINIMIZER) < tolerance);
    const lbfgsEvaluations = 1 + calls.findIndex((call) => maxAbsDifference(call.x, QUADRATIC_MINIMIZER) < tolerance);
    assert.ok(lbfgsEvaluations > 0 && lbfgsEvaluations <= 600, `L-BFGS: ${lbfgsEvaluations} evaluations`); // measured 479

    // Gradient descent with the best fixed step, 2 / (λmax + λmin), on the same problem in float64.
    const step = 2 / (EIGENVALUES[DIMENSION - 1] + EIGENVALUES[0]);
    const point = new Float64Array(DIMENSION);
    let gdEvaluations = 1;
    while (maxAbsDifference(point, QUADRATIC_MINIMIZER) >= tolerance) {
      const { grad } = quadratic(point);
      for (let i = 0; i < DIMENSION; i++) point[i] -= step * grad[i];
      gdEvaluations += 1;
    }
    assert.ok(gdEvaluations >= 50 * lbfgsEvaluations, `GD ${gdEvaluations} vs L-BFGS ${lbfgsEvaluations}`); // measured 39 170, ×82
  });

  it('accepts only steps that satisfy the strong Wolfe conditions', async () => {
    for (const [fn, start] of [
      [rosenbrock, [-1.2, 1]],
      [quadratic, new Float64Array(DIMENSION)],
    ] as const) {
      const { calls, events } = await minimizeHost(fn, start, 300);
      assert.ok(events.length > 20);
      assertAcceptedStepsSatisfyStrongWolfe(calls, events);
    }
  });

  it('makes exactly maxEvaluations calls when the budget ends first, and returns the best point seen', async () => {
    for (let budget = 1; budget <= 40; budget++) {
      const { result, x, calls } = await minimizeHost(rosenbrock, [-1.2, 1], budget);
      assert.equal(result.stopReason, 'budget');
      assert.equal(calls.length, budget);
      assert.equal(result.evaluations, budget);
      const best = calls.reduce((a, b) => (b.loss < a.loss ? b : a));
      assert.equal(result.loss, best.loss);
      assert.deepEqual(x, best.x);
    }
  });

  it('stops between steps when stopEarly says so, with stopReason plateau, asked with the best loss after each evaluation', async () => {
    const { objective, calls } = recordingObjective(quadratic);
    const asked: number[][] = [];
    const result = await createLbfgs().minimize(objective, new Float32Array(DIMENSION), 200, {
      stopEarly: (best) => {
        asked.push([...best]);
        return best.length >= 8;
      },
    });
    assert.equal(result.stopReason, 'plateau');
    assert.equal(result.evaluations, calls.length);
    assert.equal(asked.at(-1)!.length, calls.length, 'asked after the last evaluation, and nothing evaluated since');
    assert.ok(calls.length >= 8 && calls.length < 8 + DEFAULT_LBFGS_CONFIG.maxLineSearchEvaluations, `${calls.length} evaluations`);
    let best = Infinity;
    assert.deepEqual(asked.at(-1), calls.map((c) => (best = Math.min(best, c.loss))));
    assert.equal(result.loss, best);
  });

  it('restartEvery clears the history: the next round is a fresh L-BFGS run from the current point', async () => {
    const restartEvery = 20;
    const withRestarts = await minimizeHost(quadratic, new Float64Array(DIMENSION), 60, { restartEvery });
    const { events } = withRestarts;
    const restart = events.findIndex((event, i) => i > 0 && event.historyLength === 0);
    assert.ok(restart > 0, 'no steepest-descent step after the first');
    // The restart happens at the first iteration boundary once `restartEvery` evaluations are spent.
    const roundEnd = events[restart - 1].evaluations;
    assert.ok(roundEnd >= restartEvery && (restart < 2 || events[restart - 2].evaluations < restartEvery));

    const restartPoint = withRestarts.calls.find((call) => call.loss === events[restart - 1].loss)!;
    const compared = 15; // stays inside the second round
    const fresh = await minimizeHost(quadratic, restartPoint.x, 1 + compared);
    assert.deepEqual(fresh.calls[0].x, restartPoint.x);
    const afterRestart = withRestarts.calls.slice(roundEnd, roundEnd + compared).map((call) => call.x);
    assert.deepEqual(afterRestart, fresh.calls.slice(1).map((call) => call.x));

    // Control: without restarts the same evaluations differ.
    const noRestarts = await minimizeHost(quadratic, new Float64Array(DIMENSION), 60);
    assert.equal(noRestarts.events.filter((event) => event.historyLength === 0).length, 1);
    const continued = noRestarts.calls.slice(roundEnd, roundEnd + compared).map((call) => call.x);
    assert.ok(continued.some((x, i) => maxAbsDifference(x, afterRestart[i]) > 1e-3));
  });

  it('takes a first step that float32 can represent even when n is large (initialStepNorm 2)', async () => {
    // ½‖x‖² from x = 200: g = x, so torch's first trial min(1, 1/‖g‖₁)·g moves each entry by 1/n,
    // below half the float32 spacing at 200 (7.6e-6) for n = 2^18 — the loss would not change at all.
    const n = 2 ** 18;
    const objective: Objective = async (x) => {
      let loss = 0;
      for (const v of x) loss += 0.5 * v * v;
      return { loss, grad: x.slice() };
    };
    const x0 = new Float32Array(n).fill(200);
    const initialLoss = 0.5 * n * 200 ** 2;
    const minimizeWith = async (initialStepNorm: 1 | 2) => {
      return createLbfgs({ initialStepNorm, historySize: 1 }).minimize(objective, x0, 8);
    };
    const scipyRule = await minimizeWith(2);
    assert.ok(scipyRule.iterations >= 1 && scipyRule.loss < 0.5 * initialLoss, `loss ${scipyRule.loss}`);
    const torchRule = await minimizeWith(1);
    assert.deepEqual([torchRule.iterations, torchRule.loss], [0, initialLoss]);
  });

  it('reports γ = sᵀy/yᵀy, and a run given it as a hint steps straight to the minimum of an isotropic quadratic', async () => {
    // f = (c/2)‖x − m‖²: the inverse Hessian is I/c, so x − (1/c)·g is the minimiser.
    const c = 40;
    const n = 1000;
    const minimizer = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const isotropic = diagonalQuadratic(new Float64Array(n).fill(c), minimizer);
    const start = new Float64Array(n).fill(5);
    const plain = await minimizeHost(isotropic, start, 30);
    assert.ok(Math.abs(plain.result.inverseHessianScale! * c - 1) < 1e-3, `γ ${plain.result.inverseHessianScale}, 1/c = ${1 / c}`);

    const { objective, calls } = recordingObjective(isotropic);
    const hinted = await createLbfgs().minimize(objective, Float32Array.from(start), 30, { inverseHessianScale: plain.result.inverseHessianScale });
    assert.ok(hinted.loss < 1e-6 * calls[0].loss, `loss ${hinted.loss} after the first step`);
    assert.ok(calls.length < plain.calls.length, `${calls.length} calls with the hint, ${plain.calls.length} without`);
    assert.ok(calls[1].loss < 1e-6 * calls[0].loss, 'the first trial step is already at the minimum');
  });

  it('caps a hinted first step at Polyak’s step (loss − lossLowerBound) / ‖g‖², and leaves a shorter hint as it is', async () => {
    // f = (c/2)‖x − m‖² ≥ 0: Polyak's step with bound 0 is 1/(2c), half the exact step; the trial there has f₀/4.
    const c = 40;
    const n = 1000;
    const isotropic = diagonalQuadratic(new Float64Array(n).fill(c), new Float64Array(n));
    const start = new Float64Array(n).fill(5);
    const firstTrial = async (hints: { inverseHessianScale: number; lossLowerBound?: number }) => {
      const { objective, calls } = recordingObjective(isotropic);
      await createLbfgs().minimize(objective, Float32Array.from(start), 2, hints);
      return calls[1].loss / calls[0].loss;
    };
    const tooLong = 20 / c;
    assert.ok((await firstTrial({ inverseHessianScale: tooLong })) > 300, 'without the bound, a γ 20× too long lands far uphill');
    assert.ok(Math.abs((await firstTrial({ inverseHessianScale: tooLong, lossLowerBound: 0 })) - 0.25) < 1e-4, 'capped at Polyak’s step');
    assert.ok(Math.abs((await firstTrial({ inverseHessianScale: 0.25 / c, lossLowerBound: 0 })) - 0.75 ** 2) < 1e-4, 'a shorter hint is kept');
  });

  it('leaves x0 unchanged and returns a point of its own', async () => {
    const x0 = Float32Array.from({ length: DIMENSION }, (_, i) => i / 10);
    const copy = x0.slice();
    for (const [budget, config] of [
      [1, {}],
      [7, {}],
      [33, { restartEvery: 10, historySize: 3 }],
      [500, {}],
    ] as const) {
      const seen: Float32Array[] = [];
      const recording: Objective = async (x) => {
        seen.push(x);
        return float32Quadratic(x);
      };
      const result = await createLbfgs(config).minimize(recording, x0, budget);
      assert.deepEqual(x0, copy, `budget ${budget}: x0 changed`);
      assert.ok(result.x !== x0 && !seen.includes(result.x), `budget ${budget}: the result aliases an evaluated array`);
      assert.equal(result.loss, (await float32Quadratic(result.x)).loss);
    }
  });

  it('rethrows an error from the objective at any evaluation, and evaluates nothing after it', async () => {
    const x0 = new Float32Array(DIMENSION);
    for (let failAt = 1; failAt <= 30; failAt++) {
      const failure = new Error(`aborted at evaluation ${failAt}`);
      let calls = 0;
      const failing: Objective = async (x) => {
        calls += 1;
        if (calls === failAt) throw failure;
        return float32Quadratic(x);
      };
      const config = { restartEvery: 7, historySize: 4 };
      await assert.rejects(createLbfgs(config).minimize(failing, x0, 100), (error) => error === failure);
      assert.equal(calls, failAt, `failing at evaluation ${failAt}`);
    }
  });

  it('stops at once when the starting gradient is within gradientTolerance', async () => {
    const centred = diagonalQuadratic(EIGENVALUES, new Float64Array(DIMENSION)); // minimiser exact in float32
    const { result, x } = await minimizeHost(centred, new Float64Array(DIMENSION), 10);
    assert.deepEqual([result.stopReason, result.evaluations, result.iterations], ['converged', 1, 0]);
    assert.deepEqual(x, new Float64Array(DIMENSION));
  });

  it('rejects invalid configuration and arguments with errors naming the field', async () => {
    assert.throws(() => createLbfgs({ historySize: 0 }), /historySize/);
    assert.throws(() => createLbfgs({ restartEvery: 2.5 }), /restartEvery/);
    assert.throws(() => createLbfgs({ c1: 0 }), /c1/);
    assert.throws(() => createLbfgs({ c1: 0.5, c2: 0.4 }), /c2/);
    assert.throws(() => createLbfgs({ gradientTolerance: -1 }), /gradientTolerance/);
    assert.throws(() => createLbfgs({ lossTolerance: Number.NaN }), /lossTolerance/);
    assert.throws(() => createLbfgs({ maxLineSearchEvaluations: 0 }), /maxLineSearchEvaluations/);
    assert.throws(() => createLbfgs({ initialStepNorm: 3 as 2 }), /initialStepNorm/);
    const { objective } = recordingObjective(quadratic);
    const x0 = new Float32Array(DIMENSION);
    await assert.rejects(createLbfgs().minimize(objective, x0, 0), /maxEvaluations/);
    const wrongShape: Objective = async () => ({ loss: 1, grad: new Float32Array(3) });
    await assert.rejects(createLbfgs().minimize(wrongShape, x0, 5), /gradient of length 3, expected 50/);
    const float64: Objective = async () => ({ loss: 1, grad: new Float64Array(DIMENSION) as unknown as Float32Array });
    await assert.rejects(createLbfgs().minimize(float64, x0, 5), /gradient of length/);
    const notFinite: Objective = async () => ({ loss: Number.NaN, grad: new Float32Array(DIMENSION) });
    await assert.rejects(createLbfgs().minimize(notFinite, x0, 5), /non-finite loss/);
    const oneNaN = new Float32Array(DIMENSION).fill(1);
    oneNaN[3] = Number.NaN;
    const notFiniteGradient: Objective = async () => ({ loss: 1, grad: oneNaN });
    await assert.rejects(createLbfgs().minimize(notFiniteGradient, x0, 5), /non-finite gradient/);
  });
});
