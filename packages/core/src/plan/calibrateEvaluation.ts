import type { Engine, ObjectiveSettings, VggImage } from '../engines/types.ts';
import { uniformNoise } from '../random/seededRandom.ts';
import { stepsThrough } from '../vgg/stepsThrough.ts';
import { layoutTiles } from './layoutTiles.ts';
import type { VggStep } from '../vgg/architecture.ts';
import type { ScalePlan } from './ScalePlan.ts';

/**
 * Milliseconds per input pixel of one evaluation on this engine: one scale prepared at `side` × `side`
 * (noise, one style), evaluated once to warm the engine up, then the median of three timed evaluations (one
 * alone varied by ±10 % between two runs of the same size). The side is rounded up to a multiple of 16, as a
 * seamless pattern's sides must be (2^pools, 4 pools at most).
 *
 * `signal` stops it between evaluations (the plugins' worker stops its timing when a run starts). Each stop is
 * a task turn first: the abort comes as a message, and a WebAssembly engine answers on promise continuations
 * alone, which never let one in.
 */
export async function calibrateEvaluation(engine: Engine, settings: ObjectiveSettings, requestedSide = 256, signal?: AbortSignal): Promise<number> {
  const side = Math.ceil(requestedSide / 16) * 16;
  const noise = (seed: number): VggImage => ({ height: side, width: side, data: uniformNoise(side * side * 3, seed, -100, 100) });
  const stopIfAborted = async () => {
    if (!signal) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    signal.throwIfAborted();
  };
  await stopIfAborted();
  const scale = await engine.prepareScale(settings, noise(1), [{ image: noise(2), weight: 1 }]);
  try {
    const x = noise(3).data;
    await stopIfAborted();
    await scale.evaluate(x);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await stopIfAborted();
      const started = performance.now();
      await scale.evaluate(x);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[1] / (side * side);
  } finally {
    scale.dispose();
  }
}

/**
 * A scale's time per evaluation from the calibration: its pixels, or with tiles every tile's pixels halo
 * included, at 5/3 of the untiled cost per pixel: the first pass (forward and Grams) and the second
 * (forward and backward) of a tile took 1.0 s and 2.25 s for 0.59 of a 1024 px image whose untiled
 * evaluation took 3.3 s (ONNX Runtime's profile, onnx-cpu), so a forward pass is about half an evaluation.
 * Tiles that compute their content targets (contentLayers) add a forward pass to those layers in each pass,
 * priced by its share of the forward pass's multiply-adds.
 */
export function estimateEvaluationMs(plan: ScalePlan, msPerPixel: number, steps: VggStep[], contentLayers: readonly string[]): number {
  if (plan.tileSize === undefined) return msPerPixel * plan.height * plan.width;
  const { tiles } = layoutTiles(steps, plan.height, plan.width, plan.tileSize);
  const pixels = tiles.reduce((sum, t) => sum + (t.rows.end - t.rows.start) * (t.columns.end - t.columns.start), 0);
  const contentForwards = plan.contentPerTile ? (2 * FORWARD_SHARE * convMacs(stepsThrough(steps, contentLayers))) / convMacs(steps) : 0;
  return msPerPixel * pixels * (5 / 3 + contentForwards);
}

/** A forward pass's share of an untiled evaluation's time (see above). */
const FORWARD_SHARE = 0.5;

/** Multiply-adds of the convolutions per input pixel (each pool quarters the positions after it). */
export function convMacs(steps: VggStep[]): number {
  let [positions, macs] = [1, 0];
  for (const step of steps) {
    if (step.kind === 'pool') positions /= 4;
    else macs += positions * 9 * step.inChannels * step.outChannels;
  }
  return macs;
}
