// Child script (checkpointSection.ts): one real run with the CLI's checkpoints (the default interval, each encoded
// and written atomically to a file) and its share of the run: the time spent in onCheckpoint over the run's.
// onnx-cpu, the real blocks 1–3 weights, Tübingen in the style of Starry Night, the auto schedule. One JSON line.
//
//   node --import tsx bench/checkpointShare.ts --size 512
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPastiche } from '@pastiche/core';
import { selectBackend } from '../packages/node-runner/src/backend/selectBackend.ts';
import { writeCheckpointFile } from '../packages/node-runner/src/checkpoint/checkpointFile.ts';
import { readImageFile } from '../packages/node-runner/src/images/readImageFile.ts';
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, folderSource, IMAGES_DIR, parseArgs, REAL_WEIGHTS_DIR, round } from './common.ts';

export interface CheckpointShare {
  size: number;
  evaluations: number;
  runS: number;
  checkpoints: number;
  /** Between optimiser steps (the rest: at scale ends). */
  periodic: number;
  checkpointS: number;
  largestMB: number;
  sharePercent: number;
}

const size = Number(parseArgs(process.argv.slice(2)).get('size') ?? 512);
const { createEngine } = await selectBackend('onnx-cpu');
const [content, style] = await Promise.all(['tubingen.jpg', 'starry_night.jpg'].map((f) => readImageFile(path.join(IMAGES_DIR, f), f, size)));
const pastiche = createPastiche({ weights: { vgg16: folderSource(REAL_WEIGHTS_DIR) }, createEngine });
await pastiche.loadModel('vgg16');
const dir = await mkdtemp(path.join(tmpdir(), 'pastiche-checkpoint-share-'));
try {
  const file = path.join(dir, 'run.pastiche-checkpoint');
  let [checkpoints, periodic, checkpointMs, largest] = [0, 0, 0, 0];
  const started = performance.now();
  const result = await pastiche.stylize(
    { content, styles: [{ image: style }], options: { size, contentLayers: CONTENT_LAYERS, styleLayers: BLOCK3_STYLE_LAYERS, seed: 42 } },
    {
      async onCheckpoint(c) {
        const t = performance.now();
        await writeCheckpointFile(file, c);
        checkpointMs += performance.now() - t;
        checkpoints++;
        if (c.optimizer) periodic++;
        largest = Math.max(largest, (await stat(file)).size);
      },
    },
  );
  const runMs = performance.now() - started;
  const share: CheckpointShare = {
    size,
    evaluations: result.stats.evaluations,
    runS: round(runMs / 1000),
    checkpoints,
    periodic,
    checkpointS: round(checkpointMs / 1000, 2),
    largestMB: round(largest / 2 ** 20),
    sharePercent: round((100 * checkpointMs) / runMs, 2),
  };
  console.log(JSON.stringify(share));
} finally {
  pastiche.dispose();
  await rm(dir, { recursive: true, force: true });
}
