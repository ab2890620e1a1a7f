// One checkpoint's cost (issue 23), in its own process: a checkpoint of an L-BFGS run at --width × --height with
// --pairs curvature pairs (full), encoded and written atomically as `pastiche stylize` writes them (writeCheckpointFile:
// the header and the checksum computed, the arrays written from where they are), read back and decoded as
// `--resume` does. Prints one JSON line.
// Spawned by checkpointSection.ts.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateOptions, type StylizeCheckpoint } from '@pastiche/core';
import { readCheckpointFile, writeCheckpointFile } from '../packages/node-runner/src/checkpoint/checkpointFile.ts';
import { parseArgs, peakRssMB, round } from './common.ts';

export interface CheckpointCost {
  width: number;
  height: number;
  pairs: number;
  bytes: number;
  /** Encoding and writing: writeCheckpointFile's time. */
  writeMs: number;
  readDecodeMs: number;
  peakRssMB: number;
}

const args = parseArgs(process.argv.slice(2));
const [width, height, pairs] = ['width', 'height', 'pairs'].map((k) => Number(args.get(k)));
const n = width * height * 3;
// Varied values (a block of them repeated: computing 50 M sines per vector at 4096 px would take longer than the bench),
// so that a copy that went wrong shows in the check below.
const BLOCK = 1 << 16;
const vector = (seed: number) => {
  const out = new Float32Array(n);
  const block = Float32Array.from({ length: BLOCK }, (_, i) => Math.sin(i * 0.37 + seed) * 100);
  for (let i = 0; i < n; i += BLOCK) out.set(block.subarray(0, Math.min(BLOCK, n - i)), i);
  return out;
};
const x = vector(0);
let checkpoint: StylizeCheckpoint | undefined = {
  identity: { inputs: { content: `${width}×${height} sha256:-`, styles: [{ image: `${width}×${height} sha256:-`, weight: 1 }] }, options: validateOptions({ size: Math.max(width, height) }), engine: { name: 'onnx-cpu', model: 'vgg16', version: '0.1.0' } },
  plan: { scales: [{ height, width, tiles: 1, lbfgsHistory: pairs, peakBytes: 0 }], budgets: [200] },
  position: { scale: 0, totalEvaluations: 100, elapsedMs: 1 },
  finishedScales: [],
  // As between two L-BFGS steps: the current point is the best so far (one array), its gradient, the pairs.
  optimizer: {
    kind: 'lbfgs',
    tracked: { evaluations: 100, best: { x, loss: 1 }, bestLosses: new Float64Array(100) },
    x,
    grad: vector(1),
    loss: 1,
    iterations: 90,
    evaluationsAtRestart: 0,
    pairs: Array.from({ length: pairs }, (_, k) => ({ s: vector(2 + 2 * k), y: vector(3 + 2 * k), rho: 1 })),
  },
};
const dir = await mkdtemp(path.join(tmpdir(), 'pastiche-checkpoint-bench-'));
const file = path.join(dir, 'bench.pastiche-checkpoint');
try {
  let t = performance.now();
  await writeCheckpointFile(file, checkpoint);
  const writeMs = performance.now() - t;
  const size = (await stat(file)).size;
  const [last, lastPair] = [x[n - 1], checkpoint.optimizer!.kind === 'lbfgs' ? checkpoint.optimizer!.pairs.at(-1)!.y[n - 7] : 0];
  // What was written, let go before it is read back (at 4096 px it is gigabytes).
  checkpoint = undefined;
  t = performance.now();
  const decoded = await readCheckpointFile(file);
  const readDecodeMs = performance.now() - t;
  if (decoded.optimizer?.kind !== 'lbfgs' || decoded.optimizer.x[n - 1] !== last || decoded.optimizer.pairs.at(-1)!.y[n - 7] !== lastPair) throw new Error('the checkpoint read back differs');
  const result: CheckpointCost = { width, height, pairs, bytes: size, writeMs: round(writeMs), readDecodeMs: round(readDecodeMs), peakRssMB: round(peakRssMB()) };
  console.log(JSON.stringify(result));
} finally {
  await rm(dir, { recursive: true, force: true });
}
