// Tiled evaluation (issue 12): the overhead of tiles against the untiled evaluation at a size both can do
// (content targets kept, and computed per tile), and what a 4 GB budget allows: plan, peak RSS and time per
// evaluation at 2048 and 4096 px, and at 8192 px, which needs more (under the default budget, ¾ of RAM).
// onnx-cpu, the default objective (VGG16 to block5_conv3, synthetic weights), each configuration in its own
// process. Peak RSS is the engine's: the optimiser's vectors (in the estimate) are not allocated here.
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
  /** 8192 px under the default budget (what `pastiche stylize` plans without --max-memory). */
  poster?: TiledEvaluation;
}

const BUDGET = '4GB';

export async function runTilingSection({ quick }: { quick: boolean }): Promise<TilingSection> {
  const overheadSize = quick ? 512 : 1024;
  const child = (args: string[]) => runChildScript<TiledEvaluation>('tiledEvaluation.ts', args);
  log(`bench tiling: untiled against 2 and 4 tiles at ${overheadSize} px`);
  // Two evaluations each: the first pays for the sessions' first run; the second is compared.
  const untiled = await child(['--size', String(overheadSize), '--untiled', '--evaluations', '2']);
  const tiled = [];
  for (const [side, perTile] of [[(overheadSize * 3) / 4, false], [overheadSize / 2, false], [(overheadSize * 3) / 4, true]] as const) {
    const run = await child(['--size', String(overheadSize), '--tile-size', String(side), '--evaluations', '2', ...(perTile ? ['--content-per-tile'] : [])]);
    tiled.push({ ...run, ratio: round(run.msAll![1] / untiled.msAll![1], 2) });
  }
  const runs: TiledEvaluation[] = [];
  const largest = largestPlannableSide(BUDGET);
  log(`bench tiling: the largest side planned under ${BUDGET} (4:3, one scale) is ${largest} px`);
  // The largest side is planned, not run: its tiles of under 200 px read 4× their pixels (an evaluation of 15 min here).
  for (const size of quick ? [1024] : [2048, 4096, 8192]) {
    log(`bench tiling: ${size} px under --max-memory ${BUDGET}`);
    runs.push(await child(['--size', String(size), '--max-memory', BUDGET, '--evaluations', '1']));
  }
  const poster = quick ? undefined : await child(['--size', '8192', '--evaluations', '1']);
  return { loadAverage: loadAverage(), overhead: { size: overheadSize, untiled, tiled }, budget: { maxMemory: BUDGET, largestSide: largest, runs }, poster };
}

export function tilingTables(s: TilingSection): Table[] {
  const { size, untiled, tiled } = s.overhead;
  return [
    {
      title: `Tiling overhead at ${size}×${(size * 3) / 4} (onnx-cpu, second evaluation; load ${s.loadAverage})`,
      columns: ['evaluation', 'tiles', 'ms per evaluation', 'against untiled', 'peak RSS MB'],
      rows: [
        ['untiled', 1, untiled.msAll![1], '1×', Math.round(untiled.peakRssMB!)],
        ...tiled.map((t) => [`tiles of ${t.tileSize}${t.contentPerTile ? ', content per tile' : ''}`, t.tiles!, t.msAll![1], `${t.ratio}×`, Math.round(t.peakRssMB!)]),
      ],
    },
    {
      title: `Under --max-memory ${s.budget.maxMemory} (onnx-cpu, default layers; first evaluation; largest side planned: ${s.budget.largestSide} px), and 8192 px under the default budget`,
      columns: ['size', 'budget', 'plan', 'L-BFGS pairs', 'estimated peak MB', 'engine peak RSS MB', 'ms per evaluation'],
      rows: [...s.budget.runs, ...(s.poster ? [s.poster] : [])].map((r) => {
        const size = `${r.size}×${(r.size * 3) / 4}`;
        const budget = r.budget ?? 'default';
        if (r.refused) return [size, budget, `refused: ${r.refused.replace(/^.*?needs/, 'needs')}`, '', '', '', ''];
        const plan = r.tileSize ? `${r.tiles} tiles of ${r.tileSize}${r.contentPerTile ? ', content per tile' : ''}` : 'untiled';
        return [size, budget, plan, String(r.lbfgsHistory), String(r.estimatedPeakMB), String(Math.round(r.peakRssMB!)), String(r.msAll![0])];
      }),
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
