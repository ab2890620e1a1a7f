import assert from 'node:assert/strict';
import type { Engine, ObjectiveSettings, ScaleStyle, VggImage } from '../../src/engines/types.ts';
import { relativeL2 } from './reference.ts';

type Terms = { content: number; style: number; tv: number };

/** Asserts every term within `tolerance` relative and the gradient within `tolerance` relative L2. */
export function assertSameEvaluation(actual: { terms: Terms; gradient: ArrayLike<number> }, expected: { terms: Terms; gradient: ArrayLike<number> }, tolerance = 1e-5) {
  for (const term of ['content', 'style', 'tv'] as const) {
    // A term left out (weight 0) is 0 in both: equal, where the relative error would be 0/0.
    const error = actual.terms[term] === expected.terms[term] ? 0 : Math.abs(actual.terms[term] - expected.terms[term]) / Math.abs(expected.terms[term]);
    assert.ok(error <= tolerance, `${term}: ${actual.terms[term]} vs ${expected.terms[term]} (relative error ${error})`);
  }
  assert.equal(actual.gradient.length, expected.gradient.length);
  const error = relativeL2(actual.gradient, expected.gradient);
  assert.ok(error <= tolerance, `gradient relative L2 ${error}`);
}

/** One evaluation of a freshly prepared scale, disposed after. */
export async function evaluateOnce(engine: Engine, s: ObjectiveSettings, content: VggImage, styles: ScaleStyle[], x: Float32Array, options?: Parameters<Engine['prepareScale']>[3]) {
  const objective = await engine.prepareScale(s, content, styles, options);
  try {
    return await objective.evaluate(x);
  } finally {
    objective.dispose();
  }
}
