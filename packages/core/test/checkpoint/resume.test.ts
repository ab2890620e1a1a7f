import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as ort from 'onnxruntime-node';
import {
  createOnnxEngine,
  decodeCheckpoint,
  encodeCheckpoint,
  stylize,
  type Engine,
  type RgbaImage,
  type StylizeCheckpoint,
  type StylizeOptions,
  type StylizeRequest,
} from '../../src/index.ts';
import { loadImage } from '../helpers/images.ts';
import { realWeightsUpTo } from '../helpers/weights.ts';

/** White on the left half (or the right), black elsewhere. */
function halfMask(width: number, height: number, left: boolean): RgbaImage {
  const data = new Uint8Array(width * height * 4).fill(255);
  for (let p = 0; p < width * height; p++) if ((p % width < width / 2) !== left) data.fill(0, 4 * p, 4 * p + 3);
  return { width, height, data };
}

const BASE: StylizeOptions = {
  model: 'vgg16',
  size: 96,
  contentLayers: ['block2_conv2'],
  styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'],
  init: 'random',
  seed: 77,
  scales: 1,
  evaluations: 24,
};
/** Often, so that a 24-evaluation run has several checkpoints to stop after; no rule by time (ms, maxShare), so the same ones every run. */
const EVERY = { evaluations: 4, ms: Infinity, maxShare: 1 };
// The test of what a resumed run frees collects garbage at a chosen moment.
v8.setFlagsFromString('--expose-gc');

describe('a run stopped after a checkpoint and resumed from it equals the uninterrupted run, byte for byte (96 px, real VGG16 blocks 1–3, onnx-cpu)', () => {
  let engine: Engine;
  let content: RgbaImage;
  let styles: RgbaImage[];
  before(async () => {
    engine = await createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } })('vgg16', await realWeightsUpTo('block3_conv3'));
    [content, ...styles] = await Promise.all([loadImage('tubingen.jpg', 96), loadImage('starry_night.jpg', 96), loadImage('the_scream.jpg', 96)]);
  });
  after(() => engine.dispose());

  /**
   * Stops a run: in onCheckpoint, at the checkpoint `stop.at` picks, or (stop.evaluationsPast) that many evaluations
   * after it, in onProgress. Returns the last checkpoint taken, through its bytes.
   */
  type Stop = { at: (c: StylizeCheckpoint, index: number) => boolean; evaluationsPast?: number };
  async function stopRun(request: StylizeRequest, stop: Stop): Promise<StylizeCheckpoint> {
    const controller = new AbortController();
    const taken: StylizeCheckpoint[] = [];
    let stopAtEvaluation: number | undefined;
    await assert.rejects(
      stylize(engine, request, {
        signal: controller.signal,
        checkpointEvery: EVERY,
        onCheckpoint(c) {
          taken.push(decodeCheckpoint(encodeCheckpoint(c)));
          if (stopAtEvaluation !== undefined || !stop.at(c, taken.length - 1)) return;
          stopAtEvaluation = c.position.totalEvaluations + (stop.evaluationsPast ?? 0);
          if (!stop.evaluationsPast) controller.abort();
        },
        onProgress(p) {
          if (p.totalEvaluation === stopAtEvaluation) controller.abort();
        },
      }),
      { name: 'AbortError' },
    );
    assert.ok(stopAtEvaluation !== undefined, 'the run reached the checkpoint to stop at');
    return taken[taken.length - 1];
  }

  /** Stops the run as each of `stops` says, resumes it, and checks that the result equals the uninterrupted run's; returns the checkpoints resumed. */
  async function assertResumeEqual(options: StylizeOptions, stops: Stop[], withStyles = (s: RgbaImage[]) => [{ image: s[0] }]) {
    const request: StylizeRequest = { content, styles: withStyles(styles), options: { ...BASE, ...options } };
    const uninterrupted = await stylize(engine, request);
    const checkpoints: StylizeCheckpoint[] = [];
    for (const stop of stops) {
      const checkpoint = await stopRun(request, stop);
      // Resumed from a copy: resuming moves the checkpoint's arrays into the run, and the one returned is looked at.
      const resumed = await stylize(engine, { ...request, resume: decodeCheckpoint(encodeCheckpoint(checkpoint)) });
      assert.ok(Buffer.from(resumed.image.data).equals(Buffer.from(uninterrupted.image.data)), `resumed at evaluation ${checkpoint.position.totalEvaluations}: the image differs from the uninterrupted one`);
      assert.deepEqual(
        [resumed.stats.evaluations, resumed.stats.loss, resumed.stats.scales.map((s) => [s.evaluations, s.stopReason])],
        [uninterrupted.stats.evaluations, uninterrupted.stats.loss, uninterrupted.stats.scales.map((s) => [s.evaluations, s.stopReason])],
      );
      checkpoints.push(checkpoint);
    }
    return checkpoints;
  }
  const nth = (k: number): Stop => ({ at: (_, i) => i === k - 1 });

  it('L-BFGS', async () => {
    const [checkpoint] = await assertResumeEqual({ optimizer: 'lbfgs' }, [nth(2)]);
    assert.ok(checkpoint.optimizer?.kind === 'lbfgs' && checkpoint.optimizer.pairs.length > 0, 'the checkpoint holds curvature pairs');
  });

  it('Adam', async () => {
    const [checkpoint] = await assertResumeEqual({ optimizer: 'adam' }, [nth(3)]);
    assert.equal(checkpoint.optimizer?.kind, 'adam');
  });

  it('L-BFGS stopped two evaluations after a checkpoint, in mid line search: the abort checkpoints the last step reached', async () => {
    const [checkpoint] = await assertResumeEqual({ optimizer: 'lbfgs' }, [{ ...nth(2), evaluationsPast: 2 }]);
    assert.ok(checkpoint.position.totalEvaluations > 8, `the flushed checkpoint is at evaluation ${checkpoint.position.totalEvaluations}`);
  });

  it("frees the checkpoint's optimiser arrays as the resumed run replaces them, though the caller still holds the checkpoint", async () => {
    const request: StylizeRequest = { content, styles: [{ image: styles[0] }], options: { ...BASE, lbfgsHistory: 3 } };
    const checkpoint = await stopRun(request, nth(2));
    const state = checkpoint.optimizer;
    assert.ok(state?.kind === 'lbfgs' && state.pairs.length > 0 && state.tracked.best, 'the checkpoint holds pairs and a best point');
    // WeakRefs only: a strong reference here would be what the test looks for. Not x: it is the scale's starting point,
    // which stylize and the optimiser hold to the scale's end as in a run not resumed.
    const arrays = [state.grad, ...state.pairs.flatMap((p) => [p.s, p.y])].map((a) => new WeakRef(a));
    const collect = vm.runInNewContext('gc') as () => void;
    let alive: number | undefined;
    const resumedRequest = { ...request, resume: checkpoint };
    await stylize(engine, resumedRequest, {
      onProgress(p) {
        // By the last evaluation, 16 after the checkpoint, L-BFGS has replaced its gradient and its 3 pairs.
        if (p.totalEvaluation !== BASE.evaluations) return;
        collect();
        alive = arrays.filter((ref) => ref.deref() !== undefined).length;
      },
    });
    assert.equal(alive, 0, `${alive} of the checkpoint's ${arrays.length} arrays were still alive at the last evaluation`);
    assert.equal(resumedRequest.resume, checkpoint, 'the request is as it was given');
  });

  it('across a scale change: stopped at the coarse scale, and at the end-of-scale checkpoint', async () => {
    const [mid, atEnd] = await assertResumeEqual({ scales: 2, evaluations: [12, 16] }, [nth(2), { at: (c) => c.position.scale === 1 && !c.optimizer }]);
    assert.equal(mid.position.scale, 0);
    assert.deepEqual([atEnd.position.scale, atEnd.optimizer, atEnd.finishedScales.length], [1, undefined, 1]);
  });

  it('in tiles (tileSize 48: no memory budget forces tiles at 96 px, where the weights take most of any budget)', async () => {
    const [checkpoint] = await assertResumeEqual({ tileSize: 48 }, [nth(2)]);
    assert.ok(checkpoint.plan.scales[0].tiles > 1, 'the run is tiled');
  });

  it('with regions (two styles, complementary masks)', async () => {
    await assertResumeEqual({}, [nth(2)], (s) => [
      { image: s[0], mask: halfMask(content.width, content.height, true) },
      { image: s[1], mask: halfMask(content.width, content.height, false) },
    ]);
  });
});
