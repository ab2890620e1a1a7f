// Tiled evaluation (issue 12): the overhead of tiles against the untiled evaluation at a size both can do,
// and what a 4 GB budget allows: plan, peak RSS and time per evaluation at 2048, 4096 and 8192 px. onnx-cpu,
// the default objective (VGG16 to block5_conv3, synthetic weights), each configuration in its own process.
//
//   npm run bench -- --only tiling [--quick]
import { loadAverage, log, round, runChildScript } from './common.ts';
import type { Table } from './printTable.ts';
import type { TiledEvaluation } from './tiledEvaluation.ts';

export interface TilingSection {
  loadAverage: string;
  overhead: { size: number; untiled: TiledEvaluation; tiled: TiledEvaluation; ratio: number };
  budget: { maxMemory: string; runs: TiledEvaluation[] };
}

const BUDGET = '4GB';

export async function runTilingSection({ quick }: { quick: boolean }): Promise<TilingSection> {
  const overheadSize = quick ? 512 : 1024;
  const child = (args: string[]) => runChildScript<TiledEvaluation>('tiledEvaluation.ts', args);
  log(`bench tiling: untiled against tiles of ${overheadSize / 2} at ${overheadSize} px`);
  // Two evaluations each: the first pays for the sessions' first run; the second is compared.
  const untiled = await child(['--size', String(overheadSize), '--untiled', '--evaluations', '2']);
  const tiled = await child(['--size', String(overheadSize), '--tile-size', String(overheadSize / 2), '--evaluations', '2']);
  const ratio = round(tiled.msAll![1] / untiled.msAll![1], 2);
  const runs: TiledEvaluation[] = [];
  for (const size of quick ? [1024] : [2048, 4096, 8192]) {
    log(`bench tiling: ${size} px under --max-memory ${BUDGET}`);
    runs.push(await child(['--size', String(size), '--max-memory', BUDGET, '--evaluations', '1']));
  }
  return { loadAverage: loadAverage(), overhead: { size: overheadSize, untiled, tiled, ratio }, budget: { maxMemory: BUDGET, runs } };
}

export function tilingTables(s: TilingSection): Table[] {
  const { size, untiled, tiled, ratio } = s.overhead;
  return [
    {
      title: `Tiling overhead at ${size}×${(size * 3) / 4} (onnx-cpu, second evaluation; load ${s.loadAverage})`,
      columns: ['evaluation', 'tiles', 'ms per evaluation', 'peak RSS MB'],
      rows: [
        ['untiled', '1', String(untiled.msAll![1]), String(Math.round(untiled.peakRssMB!))],
        [`tiles of ${tiled.tileSize}`, String(tiled.tiles), String(tiled.msAll![1]), String(Math.round(tiled.peakRssMB!))],
        ['ratio', '', `${ratio}×`, ''],
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
