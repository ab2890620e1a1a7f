import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createTfjsEngine } from '../../src/index.ts';
import type { Engine } from '../../src/engines/types.ts';
import { createOnnxEngine } from '../../src/engines/onnx/createOnnxEngine.ts';
import { useBackend } from '../helpers/backend.ts';
import { assertSameEvaluation, evaluateOnce } from '../helpers/compareEvaluations.ts';
import { relativeL2 } from '../helpers/reference.ts';
import { tiledReferenceObjective } from '../helpers/tiledReferenceObjective.ts';
import { sampled, wassersteinReferenceCases, type WassersteinReferenceCase } from '../helpers/wassersteinReference.ts';
import { loadRealWeights } from '../helpers/weights.ts';

/**
 * The Wasserstein style loss against bench/torch/wasserstein_reference.py: float64, PyTorch's autograd, nothing
 * shared with the code under test but the formula (its fixture: cases, each term, the gradient), the square roots
 * by PyTorch's eigendecomposition (ours: symmetricEigen.ts), so the true W2 distance. Average pooling; the style
 * term dominates the gradient (content and TV weighted 0.01).
 */
const cases = wassersteinReferenceCases();

/** Each term within 1e-5 relative; the gradient within `gradientTolerance` relative L2 (measured: reported). */
function assertMatchesReference(
  ours: { terms: { content: number; style: number; tv: number }; gradient: ArrayLike<number> },
  c: WassersteinReferenceCase,
  gradientTolerance: number,
  report: (message: string) => void,
) {
  const errors = (['content', 'style', 'tv'] as const).map((term) => [term, Math.abs(ours.terms[term] - c.terms[term]) / Math.abs(c.terms[term])] as const);
  assert.equal(ours.gradient.length, c.content.height * c.content.width * 3);
  const gradient = relativeL2(sampled(ours.gradient, c.stride), c.gradient);
  report(`${c.name}: ${errors.map(([term, e]) => `${term} ${e.toExponential(2)}`).join(', ')}, gradient ${gradient.toExponential(2)} (relative)`);
  for (const [term, error] of errors) assert.ok(error <= 1e-5, `${c.name} ${term}: ${ours.terms[term]} vs the reference's ${c.terms[term]} (relative error ${error.toExponential(2)})`);
  assert.ok(gradient <= gradientTolerance, `${c.name} gradient: relative L2 ${gradient.toExponential(2)} from the reference's`);
}

describe('the Wasserstein style loss against the PyTorch float64 reference', () => {
  // The plain-JavaScript float64 objective costs minutes beyond 64 px.
  it('the float64 objective (every engine\'s algebra, in float64) at 64×64: every term within 1e-5 relative, the gradient within 1e-5 relative L2', async (t) => {
    const c = cases.find((k) => k.name === '64x64')!;
    assertMatchesReference(await tiledReferenceObjective('vgg16', await loadRealWeights('vgg16'), c.settings, c.content, c.styles, c.x, Infinity), c, 1e-5, (m) => t.diagnostic(m));
  });

  const engines: Array<{ name: string; create: () => Promise<Engine>; cases: string[]; gradientTolerance: number }> = [
    { name: 'onnx-cpu', create: async () => createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } })('vgg16', await loadRealWeights('vgg16')), cases: cases.map((c) => c.name), gradientTolerance: 1e-5 },
    // tfjs's cpu backend (plain JavaScript) at the smallest size only.
    {
      name: 'tfjs cpu',
      create: async () => {
        await useBackend('cpu');
        return createTfjsEngine('vgg16', await loadRealWeights('vgg16'));
      },
      cases: ['64x64'],
      gradientTolerance: 1e-5,
    },
  ];
  for (const { name, create, cases: names, gradientTolerance } of engines) describe(name, () => {
    let engine: Engine;
    before(async () => {
      engine = await create();
    });
    after(() => engine.dispose());
    for (const c of cases.filter((k) => names.includes(k.name))) {
      it(`${c.name} (${c.styles.length} style${c.styles.length > 1 ? 's' : ''}${c.styles.some((s) => s.mask) ? ', one in a region' : ''}): every term within 1e-5 relative, the gradient within ${gradientTolerance.toExponential()} relative L2`, async (t) => {
        assertMatchesReference(await evaluateOnce(engine, c.settings, c.content, c.styles, c.x), c, gradientTolerance, (m) => t.diagnostic(m));
      });
    }
  });

  describe('onnx-cpu in tiles and regions', () => {
    let engine: Engine;
    before(async () => {
      engine = await createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } })('vgg16', await loadRealWeights('vgg16'));
    });
    after(() => engine.dispose());

    it('200x152 in tiles of 104 (2 × 2): terms within 1e-5 of the reference, the gradient 1e-5; the untiled evaluation within 1e-5', async (t) => {
      const c = cases.find((k) => k.name === '200x152')!;
      const tiled = await evaluateOnce(engine, c.settings, c.content, c.styles, c.x, { tileSize: 104 });
      assertMatchesReference(tiled, c, 1e-5, (m) => t.diagnostic(m));
      const untiled = await evaluateOnce(engine, c.settings, c.content, c.styles, c.x);
      t.diagnostic(`tiled vs untiled: gradient ${relativeL2(tiled.gradient, untiled.gradient).toExponential(2)} relative L2`);
      assertSameEvaluation(tiled, untiled);
    });

    it('64x64: the style in a region whose mask is all ones evaluates as the style without a mask', async () => {
      const c = cases.find((k) => k.name === '64x64')!;
      const ones = new Float32Array(c.content.height * c.content.width).fill(1);
      const masked = await evaluateOnce(engine, c.settings, c.content, c.styles.map((s) => ({ ...s, mask: ones })), c.x);
      assertSameEvaluation(masked, await evaluateOnce(engine, c.settings, c.content, c.styles, c.x));
    });
  });
});
