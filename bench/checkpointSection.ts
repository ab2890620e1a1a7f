// Checkpoint cost (issue 23): time and bytes of one checkpoint of the final scale at 512, 2048 and 4096 px (4:3), with the
// L-BFGS pairs `pastiche stylize` plans there under the default memory budget (¾ of RAM) and the default layers, and
// what share of a run checkpoints take with the defaults, given the time per evaluation of docs/tiling.md and
// docs/performance.md. Each size in its own process (checkpointCost.ts); no evaluation is run.
//
//   npm run bench -- --only checkpoint [--quick]
import os from 'node:os';
import { DEFAULT_CHECKPOINT_EVERY, planForImages, planScales, scaleSizes, validateOptions } from '@pastiche/core';
import type { CheckpointCost } from './checkpointCost.ts';
import { loadAverage, log, round, runChildScript } from './common.ts';
import type { Table } from './printTable.ts';

/** Seconds per evaluation on onnx-cpu here at load ≈ 2 (default objective): docs/performance.md (512), docs/tiling.md (2048, 4096 under 4 GB). */
const MEASURED_EVALUATION_S: Record<number, number> = { 512: 1.07, 2048: 42, 4096: 203 };

export interface CheckpointSection {
  loadAverage: string;
  memoryBudgetGB: number;
  sizes: Array<CheckpointCost & { tiles: number; evaluationS?: number; intervalS?: number; share?: number }>;
}

export async function runCheckpointSection({ quick }: { quick: boolean }): Promise<CheckpointSection> {
  const memoryBytes = Math.floor(os.totalmem() * 0.75);
  const sizes: CheckpointSection['sizes'] = [];
  for (const side of quick ? [512] : [512, 2048, 4096]) {
    const [width, height] = [side, (side * 3) / 4];
    const options = planForImages(validateOptions({ size: side }), { width, height });
    const plans = planScales(options, scaleSizes(height, width, options.scaleSides), { memoryBytes });
    const final = plans[plans.length - 1];
    log(`bench checkpoint: ${width}×${height}, ${final.lbfgsHistory} L-BFGS pairs, ${final.tiles} tiles`);
    const cost = await runChildScript<CheckpointCost>('checkpointCost.ts', ['--width', String(width), '--height', String(height), '--pairs', String(final.lbfgsHistory)]);
    sizes.push({ ...cost, tiles: final.tiles, ...share(side, cost.writeMs / 1000) });
  }
  return { loadAverage: loadAverage(), memoryBudgetGB: round(memoryBytes / 2 ** 30, 1), sizes };
}

/**
 * The share of a run that periodic checkpoints take under DEFAULT_CHECKPOINT_EVERY, given the evaluation time: the
 * first of `evaluations` evaluations or `ms`, stretched (in whole evaluations) to maxShare's floor of (1 − s)/s × the cost.
 */
function share(side: number, checkpointS: number) {
  const evaluationS = MEASURED_EVALUATION_S[side];
  if (!evaluationS) return {};
  const { evaluations, ms, maxShare } = DEFAULT_CHECKPOINT_EVERY;
  const byRule = Math.min(evaluations, Math.max(1, Math.ceil(ms / 1000 / evaluationS)));
  const byShare = Math.ceil((checkpointS * (1 - maxShare)) / maxShare / evaluationS);
  const intervalS = Math.max(byRule, byShare) * evaluationS;
  return { evaluationS, intervalS: round(intervalS), share: round((100 * checkpointS) / (intervalS + checkpointS), 2) };
}

export function checkpointTables(s: CheckpointSection): Table[] {
  const { evaluations, ms, maxShare } = DEFAULT_CHECKPOINT_EVERY;
  return [
    {
      title: `One checkpoint of the final scale (L-BFGS, pairs as planned under ${s.memoryBudgetGB} GB; load ${s.loadAverage}); share of a run with the defaults (every ${evaluations} evaluations or ${ms / 1000} s, at most ${maxShare * 100} %)`,
      columns: ['size', 'L-BFGS pairs', 'MB', 'encode + write ms', 'read + decode ms', 'peak RSS MB', 's per evaluation (docs)', 'checkpoint every s', 'share %'],
      rows: s.sizes.map((c) => [`${c.width}×${c.height}`, c.pairs, round(c.bytes / 2 ** 20), c.writeMs, c.readDecodeMs, c.peakRssMB, c.evaluationS ?? '', c.intervalS ?? '', c.share ?? '']),
    },
  ];
}
