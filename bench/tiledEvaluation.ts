// Child script: one evaluation of the default objective (VGG16 to block5_conv3, synthetic weights of the real
// shapes) at one size on onnx-cpu, planned for a memory budget as `pastiche stylize --max-memory` plans it
// (or forced untiled / into tiles), in its own process so that the peak RSS belongs to it. One JSON line.
//
//   node --import tsx bench/tiledEvaluation.ts --size 2048 [--max-memory 4GB | --tile-size 512 [--content-per-tile] | --untiled] [--evaluations 1]
import { decodeConvWeights, objectiveSettings, planScales, readModelFiles, rgbaToRgb, toVggInput, validateOptions } from '@pastiche/core';
import { selectBackend } from '../packages/node-runner/src/backend/selectBackend.ts';
import { CONTENT_LAYERS, ensureSyntheticWeights, folderSource, FULL_STYLE_LAYERS, isMain, log, parseArgs, peakRssMB, randomRgba, round } from './common.ts';

export interface TiledEvaluation {
  size: number;
  budget?: string;
  tiles?: number;
  tileSize?: number;
  /** The tiles computed their content targets (planned, or --content-per-tile). */
  contentPerTile?: boolean;
  lbfgsHistory?: number;
  estimatedPeakMB?: number;
  /** Set when the plan refuses the size under the budget; nothing ran. */
  refused?: string;
  prepareMs?: number;
  /** Wall time of each evaluation, ms. */
  msAll?: number[];
  peakRssMB?: number;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const size = Number(args.get('size') ?? 1024);
  const evaluations = Number(args.get('evaluations') ?? 1);
  const budget = typeof args.get('max-memory') === 'string' ? String(args.get('max-memory')) : undefined;
  const options = validateOptions({
    size,
    styleLayers: FULL_STYLE_LAYERS,
    contentLayers: CONTENT_LAYERS,
    ...(budget ? { maxMemory: budget } : {}),
    ...(args.has('tile-size') ? { tileSize: Number(args.get('tile-size')) } : {}),
  });
  const height = Math.round((size * 3) / 4);
  const choice = await selectBackend('onnx-cpu');
  const engine = await choice.createEngine('vgg16', decodeConvWeights(await readModelFiles(folderSource(await ensureSyntheticWeights()))));
  let plan;
  try {
    [plan] = args.has('untiled') ? planScales({ ...options, maxMemory: Infinity }, [[height, size]]) : planScales(options, [[height, size]], engine.limits);
    if (args.has('content-per-tile')) plan = { ...plan, contentPerTile: true };
  } catch (error) {
    console.log(JSON.stringify({ size, budget, refused: (error as Error).message } satisfies TiledEvaluation));
    return;
  }
  const vgg = (w: number, h: number, seed: number) => toVggInput(rgbaToRgb(randomRgba(w, h, seed)));
  const t0 = performance.now();
  const scale = await engine.prepareScale(objectiveSettings(options), vgg(size, height, 1), [{ image: vgg(512, 512, 2), weight: 1 }], { tileSize: plan.tileSize, contentPerTile: plan.contentPerTile });
  const prepareMs = performance.now() - t0;
  const x = vgg(size, height, 3).data;
  const msAll: number[] = [];
  for (let i = 0; i < evaluations; i++) {
    const started = performance.now();
    const { terms } = await scale.evaluate(x);
    msAll.push(performance.now() - started);
    log(`  ${size}px ${plan.tileInterior ? `${plan.tiles} tiles of ${plan.tileInterior.width}×${plan.tileInterior.height}${plan.contentPerTile ? ', content per tile' : ''}` : 'untiled'}: evaluation ${i + 1} ${msAll[i].toFixed(0)} ms, loss ${terms.total.toPrecision(7)}`);
  }
  scale.dispose();
  engine.dispose();
  const out: TiledEvaluation = {
    size,
    budget,
    tiles: plan.tiles,
    tileSize: plan.tileSize,
    contentPerTile: plan.contentPerTile,
    lbfgsHistory: plan.lbfgsHistory,
    estimatedPeakMB: round(plan.peakBytes / 2 ** 20, 0),
    prepareMs: round(prepareMs, 0),
    msAll: msAll.map((m) => round(m, 0)),
    peakRssMB: peakRssMB(),
  };
  console.log(JSON.stringify(out));
}

if (isMain(import.meta.url)) await main();
