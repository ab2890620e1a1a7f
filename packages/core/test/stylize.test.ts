import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { stylize, type Engine, type RgbaImage, type StylizeCallbacks, type StylizeOptions, type StylizeProgress } from '../src/index.ts';
import { useBackend, type BackendName } from './helpers/backend.ts';
import { failKernelOnCall } from './helpers/failKernel.ts';
import { exampleImages, smallRealEngine, SMALL_RUN, type ExampleImages } from './helpers/fixtures.ts';

/** Mean Y, I, Q (NTSC, as in Gatys et al. 2016) of RGBA bytes, computed on the host. */
function meanYiq(image: RgbaImage): [number, number, number] {
  let [y, i, q] = [0, 0, 0];
  const n = image.width * image.height;
  for (let p = 0; p < n; p++) {
    const [r, g, b] = [image.data[4 * p], image.data[4 * p + 1], image.data[4 * p + 2]];
    y += 0.299 * r + 0.587 * g + 0.114 * b;
    i += 0.596 * r - 0.274 * g - 0.322 * b;
    q += 0.211 * r - 0.523 * g + 0.312 * b;
  }
  return [y / n, i / n, q / n];
}

function assertValidImage(image: RgbaImage, width: number, height: number, what: string) {
  assert.deepEqual([image.width, image.height], [width, height], `${what} size`);
  assert.equal(image.data.length, width * height * 4, `${what} bytes`);
  for (let p = 3; p < image.data.length; p += 4) assert.equal(image.data[p], 255, `${what} alpha`);
}

describe('stylize', () => {
  let engine: Engine;
  let images: ExampleImages;

  before(async () => {
    await useBackend('wasm');
    engine = await smallRealEngine();
    images = await exampleImages(96);
  });
  after(() => engine.dispose());

  const run = (options: StylizeOptions = {}, callbacks: StylizeCallbacks = {}, styles = [{ image: images.starryNight }], on = engine) =>
    stylize(on, { content: images.tubingen, styles, options: { ...SMALL_RUN, ...options } }, callbacks);

  describe('cancellation', () => {
    for (const [label, options] of [
      ['L-BFGS', { optimizer: 'lbfgs' }],
      ['Adam', { optimizer: 'adam' }],
      ['L-BFGS, second of two scales', { optimizer: 'lbfgs', scales: 2, size: 48, evaluations: [4, 20] }],
    ] as Array<[string, StylizeOptions]>) {
      it(`${label}: aborting from onProgress at evaluation 3 rejects with an AbortError and frees every tensor`, async () => {
        const controller = new AbortController();
        const before = tf.memory().numTensors;
        const seen: StylizeProgress[] = [];
        await assert.rejects(
          run(
            { evaluations: 20, ...options },
            {
              signal: controller.signal,
              onProgress(p) {
                seen.push(p);
                if (p.scale === p.scales - 1 && p.evaluation === 3) controller.abort();
              },
            },
          ),
          (error: Error) => {
            assert.equal(error.name, 'AbortError');
            return true;
          },
        );
        assert.equal(tf.memory().numTensors, before, 'tensors after the abort');
        const last = seen.at(-1)!;
        assert.deepEqual([last.scale, last.evaluation], [last.scales - 1, 3], 'no evaluation after the abort');
      });
    }

    it('an already aborted signal rejects before any work', async () => {
      const controller = new AbortController();
      controller.abort();
      const before = tf.memory().numTensors;
      let evaluations = 0;
      await assert.rejects(run({}, { signal: controller.signal, onProgress: () => void evaluations++ }), { name: 'AbortError' });
      assert.equal(evaluations, 0);
      assert.equal(tf.memory().numTensors, before);
    });
  });

  describe('failures free every tensor', () => {
    it('a callback that throws (onProgress at evaluation 2) rejects with its error', async () => {
      const before = tf.memory().numTensors;
      const boom = new Error('host failed');
      await assert.rejects(run({ evaluations: 5 }, { onProgress: (p) => { if (p.evaluation === 2) throw boom; } }), boom);
      assert.equal(tf.memory().numTensors, before);
    });

    // The targets run the four convolutions of blocks 1–2 on the content, then on the style: FusedConv2D's
    // call 6 fails in the style pass; Conv2D runs only in the backward pass (the flipped kernels).
    for (const [where, kernel, call] of [['the targets', 'FusedConv2D', 6], ['an evaluation', 'Conv2D', 2]] as const) {
      it(`an error in ${where} (as out of memory would be) rejects and frees every tensor made`, async () => {
        const before = tf.memory().numTensors;
        const restore = failKernelOnCall(kernel, call, 'simulated out of memory');
        try {
          await assert.rejects(run({ evaluations: 3 }), /simulated out of memory/);
        } finally {
          restore();
        }
        assert.equal(tf.memory().numTensors, before);
      });
    }
  });

  it('does not leak: numTensors at evaluation 10 equals that at evaluation 2 (Adam), and returns to its start value (both optimisers)', async () => {
    for (const optimizer of ['adam', 'lbfgs'] as const) {
      const before = tf.memory().numTensors;
      const counts = new Map<number, number>();
      const result = await run({ optimizer, evaluations: 12 }, { onProgress: (p) => void counts.set(p.evaluation, tf.memory().numTensors) });
      if (optimizer === 'adam') {
        assert.equal(counts.get(10), counts.get(2), `Adam: numTensors by evaluation ${JSON.stringify([...counts])}`);
        // Adam's state is constant in size, so every evaluation from the 2nd on sees the same count.
        assert.equal(new Set([...counts].filter(([e]) => e >= 2).map(([, n]) => n)).size, 1, JSON.stringify([...counts]));
      }
      assert.equal(tf.memory().numTensors, before, `${optimizer}: tensors after the run`);
      assert.equal(result.stats.evaluations, counts.size);
    }
  });

  for (const backend of ['wasm', 'cpu'] as BackendName[]) {
    it(`init 'random': the same seed on the same backend (${backend}) gives identical bytes; another seed does not`, async () => {
      await useBackend(backend);
      try {
        // The pure-JS cpu backend is slow: a smaller run there.
        const options = { init: 'random', seed: 4242, evaluations: backend === 'cpu' ? 3 : 4, size: backend === 'cpu' ? 16 : 24 } as const;
        const named = await smallRealEngine(); // named after the active backend
        const a = await run(options, {}, undefined, named);
        const b = await run(options, {}, undefined, named);
        assert.deepEqual(b.image, a.image);
        assert.deepEqual(b.stats.loss, a.stats.loss);
        assert.equal(a.stats.seed, 4242);
        assert.equal(a.stats.backend, backend);
        const c = await run({ ...options, seed: 4243 }, {}, undefined, named);
        assert.notDeepEqual(Array.from(c.image.data), Array.from(a.image.data));
        assert.notEqual(c.stats.loss.total, a.stats.loss.total);
        named.dispose();
      } finally {
        await useBackend('wasm');
      }
    });
  }

  it('preserveColors keeps the content’s chrominance: mean I and Q of the result match the content’s', async (t) => {
    const options: StylizeOptions = { size: 48, init: 'content', evaluations: 8, styleWeight: 1 };
    const preserved = await run({ ...options, preserveColors: true });
    const free = await run({ ...options, preserveColors: false });
    const [, ci, cq] = meanYiq(images.tubingen);
    const [, pi, pq] = meanYiq(preserved.image);
    const [, fi, fq] = meanYiq(free.image);
    const [, si, sq] = meanYiq(images.starryNight);
    t.diagnostic(`mean I/Q: content ${ci.toFixed(2)}/${cq.toFixed(2)}, preserved ${pi.toFixed(2)}/${pq.toFixed(2)}, ` +
      `without preservation ${fi.toFixed(2)}/${fq.toFixed(2)}, style ${si.toFixed(2)}/${sq.toFixed(2)}`);
    // Measured: preserved within 0.01 of the content's; without preservation 3.4 away, towards the style's.
    assert.ok(Math.abs(pi - ci) < 0.5 && Math.abs(pq - cq) < 0.5, `preserved I/Q ${pi}/${pq} vs content ${ci}/${cq}`);
    assert.ok(Math.hypot(fi - ci, fq - cq) > 1.5, `without preservation I/Q ${fi}/${fq} vs content ${ci}/${cq}`);
  });

  it('a multi-scale run (scales 2) returns the final size and the stats of each scale', async () => {
    const progress: StylizeProgress[] = [];
    const result = await run({ size: 48, scales: 2, evaluations: [4, 3], optimizer: 'adam' }, { onProgress: (p) => void progress.push(p) });
    assertValidImage(result.image, 48, 36, 'result');
    assert.deepEqual(
      result.stats.scales.map((s) => [s.width, s.height, s.evaluations, s.stopReason]),
      [
        [24, 18, 4, 'budget'],
        [48, 36, 3, 'budget'],
      ],
    );
    assert.equal(result.stats.evaluations, 7);
    assert.deepEqual(
      progress.map((p) => [p.scale, p.scales, p.width, p.height, p.evaluation, p.evaluations, p.totalEvaluation, p.totalEvaluations]),
      [
        [0, 2, 24, 18, 1, 4, 1, 7],
        [0, 2, 24, 18, 2, 4, 2, 7],
        [0, 2, 24, 18, 3, 4, 3, 7],
        [0, 2, 24, 18, 4, 4, 4, 7],
        [1, 2, 48, 36, 1, 3, 5, 7],
        [1, 2, 48, 36, 2, 3, 6, 7],
        [1, 2, 48, 36, 3, 3, 7, 7],
      ],
    );
    assert.ok(progress.every((p) => p.etaMs >= 0 && p.elapsedMs >= 0));
    // The final loss is one the last scale reported.
    assert.ok(progress.slice(4).some((p) => p.loss.total === result.stats.loss.total));
  });

  it('snapshotEvery delivers full-size images every N evaluations', async () => {
    const snapshots: Array<{ image: RgbaImage; evaluation: number }> = [];
    const result = await run(
      { size: 40, evaluations: 5, snapshotEvery: 2, optimizer: 'adam' },
      { onSnapshot: (image, p) => void snapshots.push({ image, evaluation: p.evaluation }) },
    );
    assert.deepEqual(snapshots.map((s) => s.evaluation), [2, 4]);
    for (const s of snapshots) assertValidImage(s.image, 40, 30, `snapshot ${s.evaluation}`);
    assertValidImage(result.image, 40, 30, 'result');
    assert.notDeepEqual(Array.from(snapshots[0].image.data), Array.from(snapshots[1].image.data));
  });

  it('previewEvery attaches previews no larger than previewMaxSide, and never upscales', async () => {
    const small: StylizeProgress[] = [];
    await run({ size: 48, evaluations: 5, optimizer: 'adam' }, { previewEvery: 2, previewMaxSide: 20, onProgress: (p) => void small.push(p) });
    // Every 2nd evaluation, and the coarsest scale's FIRST_PREVIEW_AT-th (5th), the first preview of a run.
    assert.deepEqual(small.map((p) => p.preview !== undefined), [false, true, false, true, true]);
    for (const p of small.filter((p) => p.preview)) {
      assert.ok(Math.max(p.preview!.width, p.preview!.height) <= 20);
      assertValidImage(p.preview!, 20, 15, `preview at ${p.evaluation}`);
    }
    const large: StylizeProgress[] = [];
    await run({ size: 48, evaluations: 3, optimizer: 'adam' }, { previewEvery: 1, previewMaxSide: 500, onProgress: (p) => void large.push(p) });
    for (const p of large) assertValidImage(p.preview!, 48, 36, `full-size preview at ${p.evaluation}`);
  });
});
