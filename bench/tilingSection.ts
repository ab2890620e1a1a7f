// Tiled evaluation (issue 12): the overhead of tiles against the untiled evaluation at a size both can do,
// and what a 4 GB budget allows: plan, peak RSS and time per evaluation at 2048, 4096 and 8192 px. onnx-cpu,
// the default objective (VGG16 to block5_conv3, synthetic weights), each configuration in its own process.
//
//   npm run bench -- --only tiling [--quick]
import { planScales, validateOptions } from '@pastiche/core';
import { CONTENT_LAYERS, FULL_STYLE_LAYERS, loadAverage, log, round, runChildScript } from './common.ts';
import type { Table } from './printTable.ts';
import type { TiledEvaluation } from './tiledEvaluation.ts';

export interface TilingSection {
  loadAverage: string;
  overhead: { size: number; untiled: TiledEvaluation; tiled: Array<TiledEvaluation & { ratio: number }> };
  budget: { maxMemory: string; largestSide: number; runs: TiledEvaluation[] };
}

const BUDGET = '4GB';

export async function runTilingSection({ quick }: { quick: boolean }): Promise<TilingSection> {
  const overheadSize = quick ? 512 : 1024;
  const child = (args: string[]) => runChildScript<TiledEvaluation>('tiledEvaluation.ts', args);
  log(`bench tiling: untiled against 2 and 4 tiles at ${overheadSize} px`);
  // Two evaluations each: the first pays for the sessions' first run; the second is compared.
  const untiled = await child(['--size', String(overheadSize), '--untiled', '--evaluations', '2']);
  const tiled = [];
  for (const side of [(overheadSize * 3) / 4, overheadSize / 2]) {
    const run = await child(['--size', String(overheadSize), '--tile-size', String(side), '--evaluations', '2']);
    tiled.push({ ...run, ratio: round(run.msAll![1] / untiled.msAll![1], 2) });
  }
  const runs: TiledEvaluation[] = [];
  const largest = largestPlannableSide(BUDGET);
  log(`bench tiling: the largest side planned under ${BUDGET} (4:3, one scale) is ${largest} px`);
  for (const size of quick ? [1024] : [...new Set([2048, largest, 4096, 8192])].sort((a, b) => a - b)) {
    log(`bench tiling: ${size} px under --max-memory ${BUDGET}`);
    runs.push(await child(['--size', String(size), '--max-memory', BUDGET, '--evaluations', '1']));
  }
  return { loadAverage: loadAverage(), overhead: { size: overheadSize, untiled, tiled }, budget: { maxMemory: BUDGET, largestSide: largest, runs } };
}

export function tilingTables(s: TilingSection): Table[] {
  const { size, untiled, tiled } = s.overhead;
  return [
    {
      title: `Tiling overhead at ${size}×${(size * 3) / 4} (onnx-cpu, second evaluation; load ${s.loadAverage})`,
      columns: ['evaluation', 'tiles', 'ms per evaluation', 'against untiled', 'peak RSS MB'],
      rows: [
        ['untiled', 1, untiled.msAll![1], '1×', Math.round(untiled.peakRssMB!)],
        ...tiled.map((t) => [`tiles of ${t.tileSize}`, t.tiles!, t.msAll![1], `${t.ratio}×`, Math.round(t.peakRssMB!)]),
      ],
    },
    {
      title: `Under --max-memory ${s.budget.maxMemory} (onnx-cpu, default layers; first evaluation)`,
      columns: ['size', 'plan', 'L-BFGS pairs', 'estimated peak MB', 'peak RSS MB', 'ms per evaluation'],
      rows: s.budget.runs.map((r) =>
        r.refused
          ? [`${r.size}×${(r.size * 3) / 4}`, `refused: ${r.refused.replace(/^.*?needs/, 'needs')}`, '', '', '', '']
          : [`${r.size}×${(r.size * 3) / 4}`, r.tileSize ? `${r.tiles} tiles of ${r.tileSize}` : 'untiled', String(r.lbfgsHistory), String(r.estimatedPeakMB), String(Math.round(r.peakRssMB!)), String(r.msAll![0])],
      ),
    },
  ];
}

/** The longest side (a multiple of 128, 4:3) that planScales fits in the budget with the default objective. */
function largestPlannableSide(budget: string): number {
  const fits = (size: number) => {
    try {
      planScales(validateOptions({ size, maxMemory: budget, styleLayers: FULL_STYLE_LAYERS, contentLayers: CONTENT_LAYERS }), [[(size * 3) / 4, size]]);
      return true;
    } catch {
      return false;
    }
  };
  let size = 1024;
  while (size + 128 <= 8192 && fits(size + 128)) size += 128;
  return size;
}
