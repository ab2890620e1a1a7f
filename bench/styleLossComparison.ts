// Gram against Wasserstein-2 style losses (docs/style-loss.md), on onnx-cpu:
//
//   node --import tsx bench/styleLossComparison.ts look --size 256 --evaluations 100 --w2-weights 10,30 \
//       --pairs chelsea.png:starry_night.jpg,coffee.png:the_scream.jpg --out DIR [--sheet sheet.jpg]
//     paints each content in its style (../shared/images) with Gram (default weights) and with W2 at each style
//     weight (real blocks 1–3 weights), writes the PNGs, and prints the style terms and the Lab colour statistics
//     (per-channel mean and standard deviation) of each result and its style; --sheet: one JPEG, a row per pair
//     (content, style, Gram, W2 at the first weight).
//   node --import tsx bench/styleLossComparison.ts time --sizes 256,512 --repeats 3 [--layers block3] [--tile 512]
//     time per evaluation of both losses in one process: full-depth seeded synthetic VGG16 (five style layers),
//     or the real blocks 1–3 weights (three style layers) with --layers block3; wall and CPU (all threads) time;
//     --tile: tiles of that side (for sizes that do not fit untiled). hostMs: the W2 terms on the host (their
//     eigendecompositions and products, timed alone at the layers' channel counts), the same at every size.
//   node --import tsx bench/styleLossComparison.ts eigen --channels 64,128,256,512 --repeats 3
//     the host's symmetric eigensolver and one whole W2 term (eigensolver and products) at each channel count.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { createOnnxEngine, createPastiche, decodeConvWeights, DEFAULT_WEIGHTS, readModelFiles, rgbaToRgb, toVggInput, type ObjectiveSettings, type RgbaImage } from '@pastiche/core';
import { createSymmetricEigensolver } from '../packages/core/src/objective/symmetricEigen.ts';
import { createWassersteinTerm, multiply, type WassersteinTarget } from '../packages/core/src/objective/wassersteinTerm.ts';
import { symmetricSquareRoot } from '../packages/core/src/objective/blendStyleMoments.ts';
import { featureShapes } from '../packages/core/src/vgg/featureShapes.ts';
import { stepsThrough } from '../packages/core/src/vgg/stepsThrough.ts';
import { syntheticWeights } from '../packages/core/test/helpers/weights.ts';
import { CONTENT_LAYERS, folderSource, FULL_STYLE_LAYERS, BLOCK3_STYLE_LAYERS, IMAGES_DIR, loadAverage, log, median, parseArgs, randomRgba, REAL_WEIGHTS_DIR, round } from './common.ts';

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

async function look(args: Map<string, string | true>) {
  const size = Number(args.get('size') ?? 256);
  const evaluations = Number(args.get('evaluations') ?? 100);
  const w2Weights = String(args.get('w2-weights') ?? '100').split(',').map(Number);
  const out = String(args.get('out') ?? 'style-loss-look');
  await mkdir(out, { recursive: true });
  const pastiche = createPastiche({ weights: { vgg16: folderSource(REAL_WEIGHTS_DIR) }, createEngine: onnxCpu });
  const base = { size, evaluations, contentLayers: CONTENT_LAYERS, styleLayers: BLOCK3_STYLE_LAYERS, seed: 7 };
  const rows: RgbaImage[][] = [];
  for (const [contentName, styleName] of String(args.get('pairs') ?? 'chelsea.png:starry_night.jpg').split(',').map((p) => p.split(':'))) {
    const [content, style] = await Promise.all([load(contentName, size), load(styleName, size)]);
    console.log(JSON.stringify({ image: styleName, lab: labStatistics(style) }));
    const row = [content, style];
    rows.push(row);
    const runs = [...(args.has('skip-gram') ? [] : [{ name: 'gram', options: {} }]), ...w2Weights.map((w) => ({ name: `w2-${w}`, options: { styleLoss: 'wasserstein' as const, styleWeight: w } }))];
    for (const run of runs) {
      const first: number[] = [];
      const result = await pastiche.stylize({ content, styles: [{ image: style }], options: { ...base, ...run.options } }, { onProgress: (p) => void (first.length === 0 && first.push(p.loss.style)) });
      const file = path.join(out, `${path.parse(contentName).name}-${path.parse(styleName).name}-${run.name}.png`);
      await writeFile(file, await sharp(Buffer.from(result.image.data), { raw: { width: result.image.width, height: result.image.height, channels: 4 } }).png().toBuffer());
      console.log(JSON.stringify({ file, firstStyle: first[0], loss: result.stats.loss, seconds: round(result.stats.elapsedMs / 1000), lab: labStatistics(result.image), load: loadAverage() }));
      if (row.length < 4) row.push(result.image);
    }
  }
  pastiche.dispose();
  const sheet = args.get('sheet');
  if (typeof sheet === 'string') await writeFile(sheet, await contactSheet(rows, size));
}

/** Rows of images, each fitted into a size × size cell on white, as one JPEG. */
async function contactSheet(rows: RgbaImage[][], size: number): Promise<Buffer> {
  const columns = Math.max(...rows.map((r) => r.length));
  const cells = await Promise.all(rows.flatMap((row, y) => row.map(async (image, x) => ({
    input: await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 4 } }).resize({ width: size, height: size, fit: 'contain', background: '#ffffff' }).png().toBuffer(),
    left: x * size,
    top: y * size,
  }))));
  return sharp({ create: { width: columns * size, height: rows.length * size, channels: 3, background: '#ffffff' } }).composite(cells).jpeg({ quality: 80 }).toBuffer();
}

async function time(args: Map<string, string | true>) {
  const sizes = String(args.get('sizes') ?? '256,512').split(',').map(Number);
  const repeats = Number(args.get('repeats') ?? 3);
  const block3 = args.get('layers') === 'block3';
  const tileSize = args.has('tile') ? Number(args.get('tile')) : undefined;
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
    const objectives = { gram: await prepare('gram'), wasserstein: await prepare('wasserstein') };
    // Alternating, after one warm-up each, so that both see the same load.
    for (let r = 0; r <= repeats; r++) {
      for (const loss of ['gram', 'wasserstein'] as const) {
        const started = performance.now();
        const cpu = process.cpuUsage();
        await objectives[loss].evaluate(content.data);
        const used = process.cpuUsage(cpu);
        if (r > 0) ms[loss].push(performance.now() - started);
        if (r > 0) cpuMs[loss].push((used.user + used.system) / 1000);
      }
    }
    for (const o of Object.values(objectives)) o.dispose();
    const channels = featureShapes(stepsThrough('vgg16', styleLayers), 1, 1);
    const hostMs = styleLayers.reduce((sum, layer) => sum + hostTerm(channels.get(layer)!.channels, 1).ms, 0);
    console.log(JSON.stringify({ size, tileSize, styleLayers: styleLayers.length, gramMs: round(median(ms.gram)), wassersteinMs: round(median(ms.wasserstein)), gramMinMs: round(Math.min(...ms.gram)), wassersteinMinMs: round(Math.min(...ms.wasserstein)), gramCpuMs: round(median(cpuMs.gram)), wassersteinCpuMs: round(median(cpuMs.wasserstein)), hostMs: round(hostMs), load: loadAverage() }));
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
else if (mode === 'time') await time(args);
else if (mode === 'eigen') eigen(args);
else log('usage: styleLossComparison.ts look|time|eigen [options] (see the header)');
