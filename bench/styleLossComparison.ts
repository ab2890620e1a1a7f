// Gram against Wasserstein-2 style losses (docs/style-loss.md), on onnx-cpu:
//
//   node --import tsx bench/styleLossComparison.ts look --size 512 [--evaluations 100] [--w2-weights 10,30] \
//       --pairs chelsea.png:starry_night.jpg,coffee.png:the_scream.jpg --out DIR [--sheet sheet.jpg]
//     paints each content in its style (../shared/images) with Gram and with W2 (real blocks 1–3 weights, seed 7),
//     writes the PNGs, and prints the style terms, the scales as they ran and the Lab colour statistics
//     (per-channel mean and standard deviation) of each result and its style. Each loss at its default
//     weights and the auto schedule unless --evaluations (one scale of that many) or --w2-weights (one W2 run
//     per weight) is given. --sheet: a JPEG, a row per pair (content, style, Gram, the first W2 run); the
//     sheet's options below.
//   node --import tsx bench/styleLossComparison.ts sheet --size 512 --pairs ... --out DIR --sheet sheet.jpg \
//       [--cell 384] [--quality 80] [--w2-weights 10,30]
//     composes that sheet again from the PNGs in DIR (cells of --cell px, default --size; JPEG --quality).
//   node --import tsx bench/styleLossComparison.ts time --sizes 256,512 --repeats 3 [--layers block3] [--tile 512] \
//       [--losses gram,wasserstein]
//     time per evaluation of the losses (both by default, alternating) in one process: full-depth seeded
//     synthetic VGG16 (five style layers), or the real blocks 1–3 weights (three style layers) with --layers
//     block3; wall and CPU (all threads) time, and the process's peak RSS; --tile: tiles of that side (for sizes
//     that do not fit untiled); --losses: one loss per process where two objectives would not fit in memory
//     together. hostMs: the W2 terms on the host (their eigendecompositions and products, timed alone at the
//     layers' channel counts), the same at every size.
//   node --import tsx bench/styleLossComparison.ts eigen --channels 64,128,256,512 --repeats 3
//     the host's symmetric eigensolver and one whole W2 term (eigensolver and products) at each channel count.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { createOnnxEngine, createPastiche, decodeConvWeights, DEFAULT_WEIGHTS, readModelFiles, rgbaToRgb, toVggInput, WASSERSTEIN_STYLE_WEIGHT, type ObjectiveSettings, type RgbaImage } from '@pastiche/core';
import { createSymmetricEigensolver } from '../packages/core/src/objective/symmetricEigen.ts';
import { createWassersteinTerm, multiply, type WassersteinTarget } from '../packages/core/src/objective/wassersteinTerm.ts';
import { symmetricSquareRoot } from '../packages/core/src/objective/blendStyleMoments.ts';
import { featureShapes } from '../packages/core/src/vgg/featureShapes.ts';
import { stepsThrough } from '../packages/core/src/vgg/stepsThrough.ts';
import { syntheticWeights } from '../packages/core/test/helpers/weights.ts';
import { CONTENT_LAYERS, folderSource, FULL_STYLE_LAYERS, BLOCK3_STYLE_LAYERS, IMAGES_DIR, loadAverage, log, median, parseArgs, peakRssMB, randomRgba, REAL_WEIGHTS_DIR, round } from './common.ts';

const onnxCpu = createOnnxEngine({ ort, name: 'onnx-cpu', sessionOptions: { executionProviders: ['cpu'] } });

async function load(name: string, side: number): Promise<RgbaImage> {
  const { data, info } = await sharp(path.join(IMAGES_DIR, name)).resize({ width: side, height: side, fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** CIE L*a*b* (D65) of sRGB bytes: per-channel mean and standard deviation over the pixels. */
export function labStatistics({ data }: RgbaImage) {
  const linear = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const f = (t: number) => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  const sums = [0, 0, 0];
  const squares = [0, 0, 0];
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [linear(data[i]), linear(data[i + 1]), linear(data[i + 2])];
    const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    const lab = [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
    lab.forEach((v, c) => {
      sums[c] += v;
      squares[c] += v * v;
    });
  }
  const mean = sums.map((s) => s / n);
  return { mean: mean.map((m) => round(m, 1)), std: squares.map((s, c) => round(Math.sqrt(Math.max(0, s / n - mean[c] ** 2)), 1)) };
}

/** The content:style pairs of --pairs, and the runs of look: Gram, then W2 at each --w2-weights (or its default). */
function lookRuns(args: Map<string, string | true>) {
  const pairs = String(args.get('pairs') ?? 'chelsea.png:starry_night.jpg').split(',').map((p) => p.split(':') as [string, string]);
  const w2Weights = typeof args.get('w2-weights') === 'string' ? String(args.get('w2-weights')).split(',').map(Number) : [undefined];
  const runs = [
    ...(args.has('skip-gram') ? [] : [{ name: 'gram', options: {} }]),
    ...w2Weights.map((w) => ({ name: w === undefined ? 'w2' : `w2-${w}`, options: { styleLoss: 'wasserstein' as const, ...(w !== undefined && { styleWeight: w }) } })),
  ];
  const file = (out: string, content: string, style: string, run: string) => path.join(out, `${path.parse(content).name}-${path.parse(style).name}-${run}.png`);
  return { pairs, runs, file };
}

async function look(args: Map<string, string | true>) {
  const size = Number(args.get('size') ?? 256);
  const out = String(args.get('out') ?? 'style-loss-look');
  await mkdir(out, { recursive: true });
  const pastiche = createPastiche({ weights: { vgg16: folderSource(REAL_WEIGHTS_DIR) }, createEngine: onnxCpu });
  // Without --evaluations the auto schedule (the default) plans the scales and their budgets.
  const evaluations = args.has('evaluations') ? { evaluations: Number(args.get('evaluations')) } : {};
  const base = { size, ...evaluations, contentLayers: CONTENT_LAYERS, styleLayers: BLOCK3_STYLE_LAYERS, seed: 7 };
  const { pairs, runs, file } = lookRuns(args);
  for (const [contentName, styleName] of pairs) {
    const [content, style] = await Promise.all([load(contentName, size), load(styleName, size)]);
    console.log(JSON.stringify({ image: styleName, lab: labStatistics(style) }));
    for (const run of runs) {
      const first: number[] = [];
      const result = await pastiche.stylize({ content, styles: [{ image: style }], options: { ...base, ...run.options } }, { onProgress: (p) => void (first.length === 0 && first.push(p.loss.style)) });
      const written = file(out, contentName, styleName, run.name);
      await writeFile(written, await sharp(Buffer.from(result.image.data), { raw: { width: result.image.width, height: result.image.height, channels: 4 } }).png().toBuffer());
      const scales = result.stats.scales.map((s) => `${s.width}x${s.height}: ${s.evaluations} (${s.stopReason})`);
      const styleWeight = 'styleWeight' in run.options ? run.options.styleWeight : run.name === 'gram' ? DEFAULT_WEIGHTS['scale-invariant'].styleWeight : WASSERSTEIN_STYLE_WEIGHT;
      console.log(JSON.stringify({ file: written, styleWeight, scales, firstStyle: first[0], loss: result.stats.loss, seconds: round(result.stats.elapsedMs / 1000), lab: labStatistics(result.image), load: loadAverage() }));
    }
  }
  pastiche.dispose();
  if (typeof args.get('sheet') === 'string') await sheet(args);
}

/** The contact sheet of look's PNGs in --out: a row per pair (content, style, Gram, the first W2 run). */
async function sheet(args: Map<string, string | true>) {
  const size = Number(args.get('size') ?? 256);
  const out = String(args.get('out') ?? 'style-loss-look');
  const { pairs, runs, file } = lookRuns(args);
  const rows = await Promise.all(pairs.map(async ([contentName, styleName]) => [
    await load(contentName, size),
    await load(styleName, size),
    ...(await Promise.all(runs.slice(0, 2).map((run) => readRgba(file(out, contentName, styleName, run.name))))),
  ]));
  const jpeg = await contactSheet(rows, Number(args.get('cell') ?? size), Number(args.get('quality') ?? 80));
  await writeFile(String(args.get('sheet')), jpeg);
  console.log(JSON.stringify({ sheet: args.get('sheet'), bytes: jpeg.length }));
}

async function readRgba(file: string): Promise<RgbaImage> {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Rows of images, each fitted into a cell × cell square on white, as one JPEG. */
async function contactSheet(rows: RgbaImage[][], cell: number, quality: number): Promise<Buffer> {
  const columns = Math.max(...rows.map((r) => r.length));
  const cells = await Promise.all(rows.flatMap((row, y) => row.map(async (image, x) => ({
    input: await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 4 } }).resize({ width: cell, height: cell, fit: 'contain', background: '#ffffff' }).png().toBuffer(),
    left: x * cell,
    top: y * cell,
  }))));
  return sharp({ create: { width: columns * cell, height: rows.length * cell, channels: 3, background: '#ffffff' } }).composite(cells).jpeg({ quality }).toBuffer();
}

async function time(args: Map<string, string | true>) {
  const sizes = String(args.get('sizes') ?? '256,512').split(',').map(Number);
  const repeats = Number(args.get('repeats') ?? 3);
  const block3 = args.get('layers') === 'block3';
  const tileSize = args.has('tile') ? Number(args.get('tile')) : undefined;
  const losses = String(args.get('losses') ?? 'gram,wasserstein').split(',') as ('gram' | 'wasserstein')[];
  const unknown = losses.filter((l) => l !== 'gram' && l !== 'wasserstein');
  if (unknown.length > 0) throw new Error(`--losses: expected gram and/or wasserstein, got ${unknown.join(', ')}`);
  const weights = block3 ? decodeConvWeights(await readModelFiles(folderSource(REAL_WEIGHTS_DIR))) : syntheticWeights('vgg16', 'block5_conv3');
  const styleLayers = block3 ? BLOCK3_STYLE_LAYERS : FULL_STYLE_LAYERS;
  const engine = await onnxCpu('vgg16', weights);
  const settings = (styleLoss: 'gram' | 'wasserstein'): ObjectiveSettings => ({
    pooling: 'max', normalization: 'scale-invariant', styleLoss, contentLayers: CONTENT_LAYERS, styleLayers,
    styleLayerWeights: styleLayers.map(() => 1 / styleLayers.length), ...DEFAULT_WEIGHTS['scale-invariant'],
  });
  const vgg = (image: RgbaImage) => toVggInput(rgbaToRgb(image));
  for (const size of sizes) {
    const content = vgg(randomRgba(size, size, 1));
    const style = vgg(randomRgba(size, size, 2));
    const ms: Record<string, number[]> = { gram: [], wasserstein: [] };
    const cpuMs: Record<string, number[]> = { gram: [], wasserstein: [] };
    const prepare = (loss: 'gram' | 'wasserstein') => engine.prepareScale(settings(loss), content, [{ image: style, weight: 1 }], { tileSize });
    const objectives: Partial<Record<'gram' | 'wasserstein', Awaited<ReturnType<typeof prepare>>>> = {};
    for (const loss of losses) objectives[loss] = await prepare(loss);
    // Alternating, after one warm-up each, so that both see the same load.
    for (let r = 0; r <= repeats; r++) {
      for (const loss of losses) {
        const started = performance.now();
        const cpu = process.cpuUsage();
        await objectives[loss]!.evaluate(content.data);
        const used = process.cpuUsage(cpu);
        if (r > 0) ms[loss].push(performance.now() - started);
        if (r > 0) cpuMs[loss].push((used.user + used.system) / 1000);
      }
    }
    for (const o of Object.values(objectives)) o!.dispose();
    const channels = featureShapes(stepsThrough('vgg16', styleLayers), 1, 1);
    const hostMs = styleLayers.reduce((sum, layer) => sum + hostTerm(channels.get(layer)!.channels, 1).ms, 0);
    const timings = Object.fromEntries(losses.flatMap((l) => [[`${l}Ms`, round(median(ms[l]))], [`${l}MinMs`, round(Math.min(...ms[l]))], [`${l}CpuMs`, round(median(cpuMs[l]))]]));
    console.log(JSON.stringify({ size, tileSize, styleLayers: styleLayers.length, ...timings, hostMs: round(hostMs), peakRssMB: Math.round(peakRssMB()), load: loadAverage() }));
  }
  engine.dispose();
}

/** A covariance-like n × n matrix: Q·diag(spread over 10⁴)·Qᵀ/n + 10⁻⁴ of its mean variance, seeded. */
function covariance(n: number, seed: number): Float64Array {
  const rgba = randomRgba(n, n, seed).data;
  const q = Float64Array.from({ length: n * n }, (_, i) => rgba[i * 4] / 255 - 0.5);
  const scaled = Float64Array.from(q, (v, i) => v * 10 ** (-4 * ((i % n) / n)));
  const qt = Float64Array.from({ length: n * n }, (_, i) => q[(i % n) * n + Math.floor(i / n)]);
  const c = new Float64Array(n * n);
  multiply(scaled, qt, c, n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += c[i * n + i];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] + c[j * n + i]) / 2 + (i === j ? (1e-4 * trace) / n : 0);
  return c;
}

/** Median wall and CPU ms of `repeats` calls of one W2 host term at n channels (and of the eigensolver alone). */
function hostTerm(n: number, repeats: number) {
  const target: WassersteinTarget = { mean: new Float64Array(n), covarianceRoot: symmetricSquareRoot(covariance(n, 1), n), covarianceTrace: 1, epsilon: 1e-6 };
  const S = covariance(n, 2);
  const mean = new Float64Array(n);
  const term = createWassersteinTerm(n);
  const eigen = createSymmetricEigensolver(n);
  const timed = (f: () => void) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const [started, used] = [performance.now(), process.cpuUsage()];
      f();
      wall.push(performance.now() - started);
      const u = process.cpuUsage(used);
      cpu.push((u.user + u.system) / 1000);
    }
    return { ms: median(wall), cpuMs: median(cpu) };
  };
  const whole = timed(() => term(S, mean, target, 1));
  const eigenOnly = timed(() => eigen(S));
  return { ...whole, eigenMs: eigenOnly.ms, eigenCpuMs: eigenOnly.cpuMs };
}

function eigen(args: Map<string, string | true>) {
  const repeats = Number(args.get('repeats') ?? 3);
  for (const n of String(args.get('channels') ?? '64,128,256,512').split(',').map(Number)) {
    const t = hostTerm(n, repeats);
    console.log(JSON.stringify({ channels: n, termMs: round(t.ms), termCpuMs: round(t.cpuMs), eigenMs: round(t.eigenMs), eigenCpuMs: round(t.eigenCpuMs), load: loadAverage() }));
  }
}

const [mode, ...rest] = process.argv.slice(2);
const args = parseArgs(rest);
if (mode === 'look') await look(args);
else if (mode === 'sheet') await sheet(args);
else if (mode === 'time') await time(args);
else if (mode === 'eigen') eigen(args);
else log('usage: styleLossComparison.ts look|sheet|time|eigen [options] (see the header)');
