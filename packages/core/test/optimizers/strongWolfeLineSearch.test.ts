import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strongWolfeLineSearch, type LineSearchSample } from '../../src/optimizers/strongWolfeLineSearch.ts';

interface Scalar1D {
  name: string;
  phi: (a: number) => number;
  dphi: (a: number) => number;
  minimizer: number;
}

// Moré & Thuente (1994) test functions 1 and 2, plus a quadratic; minimisers known in closed form.
const functions: Scalar1D[] = [
  { name: '(α − 3)²', phi: (a) => (a - 3) ** 2, dphi: (a) => 2 * (a - 3), minimizer: 3 },
  {
    name: '−α / (α² + 2)',
    phi: (a) => -a / (a * a + 2),
    dphi: (a) => (a * a - 2) / (a * a + 2) ** 2,
    minimizer: Math.SQRT2,
  },
  {
    name: '(α + 0.004)⁵ − 2(α + 0.004)⁴',
    phi: (a) => (a + 0.004) ** 5 - 2 * (a + 0.004) ** 4,
    dphi: (a) => 5 * (a + 0.004) ** 4 - 8 * (a + 0.004) ** 3,
    minimizer: 1.6 - 0.004,
  },
];

function samplerOf(f: Scalar1D) {
  const steps: number[] = [];
  const phi = async (step: number): Promise<LineSearchSample<number>> => {
    steps.push(step);
    return { value: f.phi(step), slope: f.dphi(step), payload: step };
  };
  return { phi, steps };
}

describe('strongWolfeLineSearch', () => {
  const initialSteps = [1e-3, 0.1, 1, 10, 1e3];
  const constants = [
    { c1: 1e-4, c2: 0.9 },
    { c1: 1e-4, c2: 0.1 },
    { c1: 0.3, c2: 0.5 },
  ];

  for (const f of functions) {
    for (const { c1, c2 } of constants) {
      it(`returns a strong Wolfe point of ${f.name} (c1=${c1}, c2=${c2}) from any initial step`, async () => {
        const start = { value: f.phi(0), slope: f.dphi(0) };
        for (const initialStep of initialSteps) {
          const { phi, steps } = samplerOf(f);
          const result = await strongWolfeLineSearch(phi, start, initialStep, { c1, c2 });
          assert.equal(result.status, 'satisfied', `initial step ${initialStep}`);
          const alpha = result.point!.step;
          assert.ok(f.phi(alpha) <= start.value + c1 * alpha * start.slope, `sufficient decrease at α=${alpha}`);
          assert.ok(Math.abs(f.dphi(alpha)) <= c2 * Math.abs(start.slope), `curvature at α=${alpha}`);
          assert.equal(result.point!.value, f.phi(alpha));
          assert.equal(result.point!.payload, alpha);
          assert.equal(result.evaluations, steps.length);
          // Measured: at most 7, except 13 for the flat start of Moré–Thuente function 2 from α₀ = 1e-3.
          assert.ok(result.evaluations <= 15, `${result.evaluations} evaluations from initial step ${initialStep}`);
        }
      });
    }
  }

  it('with a tight curvature constant lands next to the known minimiser', async () => {
    for (const f of functions) {
      const { phi } = samplerOf(f);
      const result = await strongWolfeLineSearch(phi, { value: f.phi(0), slope: f.dphi(0) }, 1, { c2: 1e-3 });
      assert.equal(result.status, 'satisfied');
      assert.ok(Math.abs(result.point!.step - f.minimizer) < 1e-2 * f.minimizer, `${f.name}: α=${result.point!.step}`);
    }
  });

  it('accepts the initial step when it already satisfies the conditions (one evaluation)', async () => {
    const { phi } = samplerOf(functions[0]);
    const result = await strongWolfeLineSearch(phi, { value: 9, slope: -6 }, 3);
    assert.deepEqual([result.status, result.point?.step, result.evaluations], ['satisfied', 3, 1]);
  });

  it('brackets steps where the function overflows to NaN or Infinity', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const phi = async (step: number): Promise<LineSearchSample<null>> =>
        step > 5 ? { value: bad, slope: bad, payload: null } : { value: (step - 3) ** 2, slope: 2 * (step - 3), payload: null };
      const result = await strongWolfeLineSearch(phi, { value: 9, slope: -6 }, 1000);
      assert.equal(result.status, 'satisfied');
      assert.ok(Math.abs(2 * (result.point!.step - 3)) <= 0.9 * 6);
    }
  });

  it('stops at maxEvaluations and returns the lowest trial below φ(0)', async () => {
    const f = functions[0];
    const { phi, steps } = samplerOf(f);
    const result = await strongWolfeLineSearch(phi, { value: 9, slope: -6 }, 1e-6, { maxEvaluations: 2 });
    assert.equal(result.status, 'evaluationLimit');
    assert.equal(result.evaluations, 2);
    assert.equal(steps.length, 2);
    const lowest = Math.min(...steps.map(f.phi));
    assert.equal(result.point!.value, lowest);
  });

  it("returns the payload φ gave for the returned step", async () => {
    for (const f of functions) {
      for (const initialStep of [1e-3, 1e3]) {
        for (const maxEvaluations of [1, 2, 3, 25]) {
          const steps: number[] = [];
          const phi = async (step: number): Promise<LineSearchSample<number>> => {
            steps.push(step);
            return { value: f.phi(step), slope: f.dphi(step), payload: steps.length - 1 };
          };
          const result = await strongWolfeLineSearch(phi, { value: f.phi(0), slope: f.dphi(0) }, initialStep, { maxEvaluations });
          if (result.point) assert.equal(steps[result.point.payload], result.point.step);
        }
      }
    }
  });

  it('rethrows an error from φ and evaluates nothing after it', async () => {
    const f = functions[2];
    for (let failAt = 1; failAt <= 6; failAt++) {
      let calls = 0;
      const failure = new Error(`abort at ${failAt}`);
      const phi = async (step: number): Promise<LineSearchSample<number>> => {
        calls += 1;
        if (calls === failAt) throw failure;
        return { value: f.phi(step), slope: f.dphi(step), payload: calls };
      };
      // c2 tiny so the search needs several evaluations.
      const search = strongWolfeLineSearch(phi, { value: f.phi(0), slope: f.dphi(0) }, 1e-3, { c1: 1e-7, c2: 1e-6 });
      await assert.rejects(search, (error) => error === failure);
      assert.equal(calls, failAt);
    }
  });

  it('rejects a non-descent start and invalid options', async () => {
    const { phi } = samplerOf(functions[0]);
    await assert.rejects(strongWolfeLineSearch(phi, { value: 0, slope: 1 }, 1), /descent/);
    await assert.rejects(strongWolfeLineSearch(phi, { value: 0, slope: -1 }, 0), /initialStep/);
    await assert.rejects(strongWolfeLineSearch(phi, { value: 0, slope: -1 }, 1, { c1: 0.9, c2: 0.5 }), /c1/);
    await assert.rejects(strongWolfeLineSearch(phi, { value: 0, slope: -1 }, 1, { maxEvaluations: 0 }), /maxEvaluations/);
  });
});
