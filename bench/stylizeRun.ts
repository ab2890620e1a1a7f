// Child script: one `createPastiche().stylize` run on the real blocks 1–3 weights (Tübingen in the style of
// Starry Night), in its own process so that its peak RSS is its own. Records the loss and tf.memory() after
// every evaluation; with --stop-at-loss it aborts as soon as an evaluation at the final scale reaches that
// loss. Progress lines go to stderr, one JSON line to stdout.
//
//   node --import tsx bench/stylizeRun.ts --backend wasm [--init content|random] --size 512 --scales 3 --evaluations 100,100,300 [--stop-at-loss L]
import * as tf from '@tensorflow/tfjs-core';
import path from 'node:path';
import { createPastiche, type StylizeOptions } from '@pastiche/core';
import type { NodeBackendName } from '@pastiche/core';
import { selectBackend } from '../packages/node-runner/src/backend/selectBackend.ts';
import { readImageFile } from '../packages/node-runner/src/images/readImageFile.ts';
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, folderSource, IMAGES_DIR, isMain, log, parseArgs, peakRssMB, REAL_WEIGHTS_DIR, round } from './common.ts';

export const RUN_SEED = 42;

export interface StylizeRunResult {
  label: string;
  backend: string;
  /** Threads of the wasm backend (1: single-threaded build); undefined for the others. */
  threads?: number;
  options: StylizeOptions;
  stopAtLoss?: number;
  /** Per evaluation, in order: scale index, evaluation at that scale, total loss, ms since the run started, tf.memory().numTensors, and the three loss terms. */
  trace: Array<[scale: number, evaluation: number, loss: number, elapsedMs: number, numTensors: number, content: number, style: number, tv: number]>;
  /** The first evaluation at the final scale whose loss was ≤ stopAtLoss (the run was aborted there). */
  reached?: { totalEvaluation: number; finalScaleEvaluation: number; loss: number; elapsedMs: number };
  /** Set when the run finished its budget (not aborted). */
  stats?: { evaluations: number; elapsedMs: number; loss: { total: number; content: number; style: number; tv: number }; scales: Array<{ width: number; height: number; evaluations: number; elapsedMs: number; stopReason: string }> };
  /** Wall time of the stylize call as seen from outside (to the abort, or to its result), ms. */
  wallMs: number;
  numTensorsBeforeRun: number;
  numTensorsAfterRun: number;
  peakRssMB: number;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const preference = String(args.get('backend') ?? 'auto') as NodeBackendName | 'auto';
  const size = Number(args.get('size') ?? 512);
  const scales = Number(args.get('scales') ?? 1);
  const evaluations = String(args.get('evaluations') ?? '200').split(',').map(Number);
  const stopAtLoss = args.has('stop-at-loss') ? Number(args.get('stop-at-loss')) : undefined;
  const label = String(args.get('label') ?? `${scales} scale(s)`);
  const every = Number(args.get('progress-every') ?? 10);
  const init = String(args.get('init') ?? 'content') as StylizeOptions['init'];

  const { name: backend, threads, createEngine } = await selectBackend(preference);
  const options: StylizeOptions = {
    size,
    scales,
    evaluations: evaluations.length === 1 ? evaluations[0] : evaluations,
    contentLayers: CONTENT_LAYERS,
    styleLayers: BLOCK3_STYLE_LAYERS,
    seed: RUN_SEED,
    init,
  };
  // As the CLI reads them: shrunk to the result's size.
  const content = await readImageFile(path.join(IMAGES_DIR, 'tubingen.jpg'), 'content', size);
  const style = await readImageFile(path.join(IMAGES_DIR, 'starry_night.jpg'), 'style', size);
  const engine = createPastiche({ weights: { vgg16: folderSource(REAL_WEIGHTS_DIR) }, createEngine });
  await engine.loadModel('vgg16');
  const numTensorsBeforeRun = tf.memory().numTensors;

  const trace: StylizeRunResult['trace'] = [];
  const controller = new AbortController();
  let reached: StylizeRunResult['reached'];
  let stats: StylizeRunResult['stats'];
  const started = performance.now();
  try {
    const result = await engine.stylize(
      { content, styles: [{ image: style }], options },
      {
        signal: controller.signal,
        onProgress(p) {
          trace.push([p.scale, p.evaluation, p.loss.total, round(p.elapsedMs), tf.memory().numTensors, p.loss.content, p.loss.style, p.loss.tv]);
          const final = p.scale === p.scales - 1;
          const hit = final && stopAtLoss !== undefined && p.loss.total <= stopAtLoss;
          if (p.evaluation === 1 || p.evaluation % every === 0 || hit) {
            const terms = `content ${p.loss.content.toPrecision(4)}, style ${p.loss.style.toPrecision(4)}, tv ${p.loss.tv.toPrecision(4)}`;
            log(`  ${label}: scale ${p.scale + 1}/${p.scales} (${p.width}×${p.height}) evaluation ${p.evaluation}/${p.evaluations}, loss ${p.loss.total.toPrecision(6)} (${terms}), ${(p.elapsedMs / 1000).toFixed(0)} s, ${tf.memory().numTensors} tensors`);
          }
          if (hit && !reached) {
            reached = { totalEvaluation: p.totalEvaluation, finalScaleEvaluation: p.evaluation, loss: p.loss.total, elapsedMs: p.elapsedMs };
            controller.abort();
          }
        },
      },
    );
    stats = result.stats;
  } catch (error) {
    if (!reached) throw error;
  }
  const wallMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 0));
  const out: StylizeRunResult = {
    label,
    backend,
    threads,
    options,
    stopAtLoss,
    trace,
    reached,
    stats: stats && { evaluations: stats.evaluations, elapsedMs: stats.elapsedMs, loss: stats.loss, scales: stats.scales },
    wallMs: round(wallMs),
    numTensorsBeforeRun,
    numTensorsAfterRun: tf.memory().numTensors,
    peakRssMB: round(peakRssMB()),
  };
  engine.dispose();
  console.log(JSON.stringify(out));
}

if (isMain(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
