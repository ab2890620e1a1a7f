// Spawned by checkpointFile.test.ts: writes checkpoint 1, 2, 3, … of about 48 MB to the file named by argv[2], one
// over the other, printing "wrote N" after each, until it is killed.
import { validateOptions, type StylizeCheckpoint } from '@pastiche/core';
import { writeCheckpointFile } from '../../src/checkpoint/checkpointFile.ts';

const [file] = process.argv.slice(2);
const side = 1024;
const n = side * side * 3;
const vector = (k: number) => new Float32Array(n).fill(k);
for (let k = 1; ; k++) {
  const checkpoint: StylizeCheckpoint = {
    identity: { inputs: { content: `${side}×${side} sha256:0`, styles: [{ image: `${side}×${side} sha256:1`, weight: 1 }] }, options: validateOptions({ size: side }), engine: { name: 'test', model: 'vgg16', version: '0' } },
    plan: { scales: [{ height: side, width: side, tiles: 1, lbfgsHistory: 1, peakBytes: 0 }], budgets: [100] },
    position: { scale: 0, totalEvaluations: k, elapsedMs: k },
    finishedScales: [],
    optimizer: { kind: 'lbfgs', tracked: { evaluations: k, bestLosses: new Float64Array(k) }, x: vector(k), grad: vector(-k), loss: k, iterations: k, evaluationsAtRestart: 0, pairs: [{ s: vector(k), y: vector(k), rho: 1 }] },
  };
  await writeCheckpointFile(file, checkpoint);
  process.stdout.write(`wrote ${k}\n`);
}
