// Tiled against untiled on onnx-cpu, both against PyTorch float64: the default layers (VGG16 to block5_conv3,
// synthetic weights of the real shapes) at one size, one term at a time (the others weighted 0), on the paintings
// of compareNotebookLoss. Says whether a difference between tiled and untiled is float32's summation order (both
// as far from float64, spread over the image) or a real one at the tiles' borders (concentrated there): the
// gradient's differences are also given by distance to the nearest border between two tiles' interiors.
//
//   node --import tsx bench/tiledParity.ts [--size 512] [--tile-size 200] [--term style|content|tv] [--normalization scale-invariant|notebook]
import path from 'node:path';
import { decodeConvWeights, DEFAULT_WEIGHTS, readModelFiles, stepsThrough, type ObjectiveSettings } from '@pastiche/core';
import type { NormalizationName } from '../packages/core/src/objective/normalization.ts';
import { layoutTiles } from '../packages/core/src/plan/layoutTiles.ts';
import { selectBackend } from '../packages/node-runner/src/backend/selectBackend.ts';
import { CACHE_DIR, CONTENT_LAYERS, ensureSyntheticWeights, folderSource, FULL_STYLE_LAYERS, isMain, lastJsonLine, loadAverage, log, parseArgs, runPython } from './common.ts';
import { readFloats, writeNotebookInputs } from './compareNotebookLoss.ts';
import { printTable } from './printTable.ts';

type Term = 'style' | 'content' | 'tv';

/** Upper ends of the distance bins, px from the nearest border between two interiors (the last is open). */
const BINS = [4, 16, 48, 96, Infinity];

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const size = Number(args.get('size') ?? 512);
  const tileSize = Number(args.get('tile-size') ?? 200);
  const term = String(args.get('term') ?? 'style') as Term;
  const normalization = String(args.get('normalization') ?? 'scale-invariant') as NormalizationName;
  const defaults = DEFAULT_WEIGHTS[normalization];
  const weights = { contentWeight: 0, styleWeight: 0, tvWeight: 0, [`${term}Weight`]: defaults[`${term}Weight`] };
  const styleLayers = FULL_STYLE_LAYERS;
  const settings: ObjectiveSettings = {
    pooling: 'max',
    normalization,
    contentLayers: CONTENT_LAYERS,
    styleLayers,
    styleLayerWeights: styleLayers.map(() => 1 / styleLayers.length),
    ...weights,
  };

  const weightsDir = await ensureSyntheticWeights();
  const dir = path.join(CACHE_DIR, `tiled-parity-${normalization}-${term}-${size}`);
  const arrays = await writeNotebookInputs(dir, size, size, { contentLayers: CONTENT_LAYERS, styleLayers, normalization, ...weights });
  const image = (data: Float32Array) => ({ height: size, width: size, data });

  const engine = await (await selectBackend('onnx-cpu')).createEngine('vgg16', decodeConvWeights(await readModelFiles(folderSource(weightsDir))));
  const evaluate = async (tiles?: number) => {
    const scale = await engine.prepareScale(settings, image(arrays.content), [{ image: image(arrays.style), weight: 1 }], tiles ? { tileSize: tiles } : undefined);
    try {
      return await scale.evaluate(arrays.combination);
    } finally {
      scale.dispose();
    }
  };
  log(`tiled parity: onnx-cpu untiled and in tiles of ${tileSize} at ${size}×${size}, ${term} only, ${normalization}`);
  const untiled = await evaluate();
  const tiled = await evaluate(tileSize);
  engine.dispose();
  log('tiled parity: PyTorch float64');
  const reference = lastJsonLine<Record<Term, number> & { gramContrast: Record<string, number> }>(await runPython('notebook_loss.py', ['--weights', weightsDir, '--inputs', dir]));
  const refGrad = await readFloats(path.join(dir, 'grad.f32'));

  const layout = layoutTiles(stepsThrough('vgg16', [...CONTENT_LAYERS, ...styleLayers]), size, size, tileSize);
  const borders = (axis: 'interiorRows' | 'interiorColumns') => [...new Set(layout.tiles.map((t) => t[axis].start).filter((s) => s > 0))];
  const [rowBorders, columnBorders] = [borders('interiorRows'), borders('interiorColumns')];
  const distance = (y: number, x: number) => Math.min(...rowBorders.map((b) => Math.abs(y + 0.5 - b)), ...columnBorders.map((b) => Math.abs(x + 0.5 - b))) - 0.5;
  // No border at all (one tile): every pixel is in the last bin.
  const binOf = (d: number) => (Number.isFinite(d) ? BINS.findIndex((end) => d < end) : BINS.length - 1);
  const sums = BINS.map(() => ({ pixels: 0, tiledUntiled: 0, tiledRef: 0, untiledRef: 0, ref: 0 }));
  const whole = { pixels: 0, tiledUntiled: 0, tiledRef: 0, untiledRef: 0, ref: 0 };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bin = sums[binOf(distance(y, x))];
      bin.pixels++;
      whole.pixels++;
      for (let c = 0; c < 3; c++) {
        const i = (y * size + x) * 3 + c;
        const [t, u, r] = [tiled.gradient[i], untiled.gradient[i], refGrad[i]];
        for (const s of [bin, whole]) {
          s.tiledUntiled += (t - u) ** 2;
          s.tiledRef += (t - r) ** 2;
          s.untiledRef += (u - r) ** 2;
          s.ref += r ** 2;
        }
      }
    }
  }
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
  printTable({
    title: `Tiled (${layout.tiles.length} tiles of ${tileSize}) against untiled on onnx-cpu, and both against PyTorch float64: ${term} only, ${size}×${size}, ${normalization}`,
    notes: [
      `VGG16 to block5_conv3, synthetic weights (seed 0), style ${styleLayers.join(',')}, content ${CONTENT_LAYERS.join(',')}; Tübingen × The Starry Night, combination content·0.5 + noise·0.5`,
      `borders between interiors at rows ${rowBorders.join(', ')} and columns ${columnBorders.join(', ')}; halo ${layout.halo} px`,
      `‖G − A‖ / ‖G‖ (float64): ${Object.entries(reference.gramContrast).map(([layer, c]) => `${layer} ${c.toExponential(2)}`).join(', ')}`,
      `term: tiled ${tiled.terms[term].toPrecision(9)}, untiled ${untiled.terms[term].toPrecision(9)}, float64 ${reference[term].toPrecision(9)}: relative ${rel(tiled.terms[term], untiled.terms[term]).toExponential(2)} tiled/untiled, ${rel(tiled.terms[term], reference[term]).toExponential(2)} / ${rel(untiled.terms[term], reference[term]).toExponential(2)} from float64`,
      `load average (1, 5, 15 min): ${loadAverage()}`,
    ],
    columns: ['px from a border', 'pixels', '‖tiled − untiled‖ / ‖g‖', '‖tiled − float64‖ / ‖g‖', '‖untiled − float64‖ / ‖g‖'],
    rows: [
      ...sums.map((s, i) => [`${i === 0 ? 0 : BINS[i - 1]}–${Number.isFinite(BINS[i]) ? BINS[i] : ''}`, s.pixels, ...(s.pixels === 0 ? [null, null, null] : [Math.sqrt(s.tiledUntiled / s.ref), Math.sqrt(s.tiledRef / s.ref), Math.sqrt(s.untiledRef / s.ref)])]),
      ['whole image', whole.pixels, Math.sqrt(whole.tiledUntiled / whole.ref), Math.sqrt(whole.tiledRef / whole.ref), Math.sqrt(whole.untiledRef / whole.ref)],
    ],
  });
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
