// Parity: each engine's loss terms and gradient under the 'notebook' normalisation (content 0.025, style 5,
// TV 1) on the real blocks 1–3 weights, against bench/torch/notebook_loss.py computing the same objective in
// float64 on the same preprocessed images. Target: every term within 1e-5 relative, gradient within 1e-5
// relative L2. PyTorch's own float32 run is measured beside the engines, with where it branches otherwise than
// float64 (ReLU units whose pre-activation changes sign, max-pooling windows whose maximum moves) and its
// gradient when forced along float64's branches.
//
// --images random takes the core tests' inputs instead of the paintings: content, style and combination uniform in
// [−100, 100) (seeds 1, 2, 4), three noise images whose Grams nearly agree, so that a float32 Gram's relative
// error grows most in G − A (the reference reports ‖G − A‖ / ‖G‖ per layer).
//
//   node --import tsx bench/compareNotebookLoss.ts [--sizes 64x64,256x256,512x512,200x152] [--backends onnx-cpu,wasm] [--pooling max|avg] [--images paintings|random]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  decodeConvWeights,
  DEFAULT_WEIGHTS,
  readModelFiles,
  resizeImage,
  rgbaToRgb,
  toVggInput,
  type Engine,
  type Pooling,
} from '@pastiche/core';
import type { NodeBackendName } from '@pastiche/core';
import { selectBackend } from '../packages/node-runner/src/backend/selectBackend.ts';
import { readImageFile } from '../packages/node-runner/src/images/readImageFile.ts';
import {
  BLOCK3_STYLE_LAYERS,
  CACHE_DIR,
  CONTENT_LAYERS,
  folderSource,
  IMAGES_DIR,
  isMain,
  lastJsonLine,
  loadAverage,
  log,
  parseArgs,
  runPython,
  REAL_WEIGHTS_DIR,
} from './common.ts';
import { seededRandom } from '../packages/core/src/random/seededRandom.ts';
import { printTable, type Table } from './printTable.ts';

interface Terms {
  content: number;
  style: number;
  tv: number;
  total: number;
}

export interface NotebookComparison {
  width: number;
  height: number;
  pooling: Pooling;
  weights: { contentWeight: number; styleWeight: number; tvWeight: number };
  contentLayers: string[];
  styleLayers: string[];
  combination: string;
  reference: Terms & { styleByLayer: Record<string, number>; gramContrast: Record<string, number> };
  /** PyTorch's own float32 run against its float64 one: the floor any float32 engine stands on. */
  torchFloat32: Agreement & { flips: Float32Flips };
  backends: Array<{ backend: NodeBackendName } & Agreement>;
  loadAverage: string;
}

/** notebook_loss.py --flips: where PyTorch float32 branches otherwise than float64 on the combination. */
export interface Float32Flips {
  relu: Record<string, { units: number; signChanges: number; largestFloat64Magnitude: number | null }>;
  maxPool: Record<string, { windows: number; argmaxChanges: number }>;
  gradientRelativeL2: number;
  /** float32 differentiated along float64's ReLU pattern and pooling choices. */
  forcedGradientRelativeL2: number;
}

interface Agreement {
  terms: Terms;
  relativeDifference: Terms;
  /** ‖g − g_ref‖ / ‖g_ref‖ over the whole image gradient. */
  gradientRelativeL2: number;
  /** Largest relative difference of the three terms. */
  worstTermRelativeDifference: number;
  within1e5: boolean;
}

const NOTEBOOK_WEIGHTS = DEFAULT_WEIGHTS.notebook; // 0.025 / 5 / 1
const NOISE_SHARE = 0.5;

export type NotebookImages = 'paintings' | 'random';

export async function compareNotebookLoss(options: { width?: number; height?: number; backends?: NodeBackendName[]; pooling?: Pooling; images?: NotebookImages } = {}): Promise<NotebookComparison> {
  const pooling = options.pooling ?? 'max';
  const width = options.width ?? 128;
  const height = options.height ?? 96;
  const backends = options.backends ?? ['onnx-cpu', 'wasm'];
  const images = options.images ?? 'paintings';
  const dir = path.join(CACHE_DIR, `notebook-${images}-${pooling}-${width}x${height}`);

  const arrays = await writeNotebookInputs(dir, width, height, { contentLayers: CONTENT_LAYERS, styleLayers: BLOCK3_STYLE_LAYERS, ...NOTEBOOK_WEIGHTS }, images);
  log(`notebook agreement: PyTorch float64 reference at ${width}×${height}`);
  const stdout = await runPython('notebook_loss.py', ['--weights', REAL_WEIGHTS_DIR, '--inputs', dir, '--pooling', pooling]);
  const reference = lastJsonLine<NotebookComparison['reference']>(stdout);
  const refGrad = await readFloats(path.join(dir, 'grad.f32'));

  // PyTorch in float32 on the same inputs: how far float32 arithmetic itself lands from the reference, and
  // where it branches otherwise (a ReLU unit within float32's rounding of zero, a pooling window whose two
  // largest values are that close).
  log(`notebook agreement: PyTorch float32 at ${width}×${height}`);
  const torch32 = lastJsonLine<Terms & { flips: Float32Flips }>(
    await runPython('notebook_loss.py', ['--weights', REAL_WEIGHTS_DIR, '--inputs', dir, '--pooling', pooling, '--dtype', 'float32', '--grad-out', 'grad32.f32', '--flips']),
  );
  const float32 = { ...compareWithReference(torch32, await readFloats(path.join(dir, 'grad32.f32')), reference, refGrad), flips: torch32.flips };

  const files = await readModelFiles(folderSource(REAL_WEIGHTS_DIR));
  const results: NotebookComparison['backends'] = [];
  for (const backend of backends) {
    log(`notebook agreement: ${backend} backend`);
    const engine = await (await selectBackend(backend)).createEngine('vgg16', decodeConvWeights(files));
    try {
      const { terms, gradient } = await notebookTerms(engine, arrays, height, width, pooling);
      results.push({ backend, ...compareWithReference(terms, gradient, reference, refGrad) });
    } finally {
      engine.dispose();
    }
  }
  return {
    width,
    height,
    pooling,
    weights: NOTEBOOK_WEIGHTS,
    contentLayers: CONTENT_LAYERS,
    styleLayers: BLOCK3_STYLE_LAYERS,
    combination: images === 'random' ? 'content, style and combination uniform in [−100, 100) (seeds 1, 2, 4), as VGG input' : `content·${1 - NOISE_SHARE} + uniform noise·${NOISE_SHARE} (seed 7), VGG-preprocessed`,
    reference,
    torchFloat32: float32,
    backends: results,
    loadAverage: loadAverage(),
  };
}

/**
 * Writes the preprocessed content (Tübingen), style (The Starry Night) and combination (the content with half
 * uniform noise, seed 7) at width × height, or the three random images, and inputs.json with `objective`, for
 * bench/torch/notebook_loss.py; returns the three arrays (NHWC, VGG input) so that every engine sees the same
 * float32 values.
 */
export async function writeNotebookInputs(dir: string, width: number, height: number, objective: Record<string, unknown>, images: NotebookImages = 'paintings') {
  await mkdir(dir, { recursive: true });
  const arrays = images === 'random' ? randomInputs(width, height) : await paintingInputs(width, height);
  for (const [name, data] of Object.entries(arrays)) await writeFile(path.join(dir, `${name}.f32`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const config = { height, width, ...objective, content: 'content.f32', style: 'style.f32', combination: 'combination.f32' };
  await writeFile(path.join(dir, 'inputs.json'), JSON.stringify(config, null, 2));
  return arrays;
}

async function paintingInputs(width: number, height: number) {
  const [content, style] = await Promise.all([
    readImageFile(path.join(IMAGES_DIR, 'tubingen.jpg'), 'content'),
    readImageFile(path.join(IMAGES_DIR, 'starry_night.jpg'), 'style'),
  ]);
  const contentRgb = resizeImage(rgbaToRgb(content), height, width);
  const next = seededRandom(7);
  const combinationRgb = contentRgb.data.map((c) => c * (1 - NOISE_SHARE) + next() * 255 * NOISE_SHARE);
  return {
    content: toVggInput(contentRgb).data,
    style: toVggInput(resizeImage(rgbaToRgb(style), height, width)).data,
    combination: toVggInput({ height, width, data: combinationRgb }).data,
  };
}

function randomInputs(width: number, height: number) {
  const uniform = (seed: number) => {
    const next = seededRandom(seed);
    return Float32Array.from({ length: height * width * 3 }, () => -100 + 200 * next());
  };
  return { content: uniform(1), style: uniform(2), combination: uniform(4) };
}

export async function readFloats(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function compareWithReference(terms: Terms, gradient: Float32Array, reference: Terms, refGrad: Float32Array): Agreement {
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
  const relativeDifference = {
    content: rel(terms.content, reference.content),
    style: rel(terms.style, reference.style),
    tv: rel(terms.tv, reference.tv),
    total: rel(terms.total, reference.total),
  };
  let diff2 = 0;
  let ref2 = 0;
  for (let i = 0; i < refGrad.length; i++) {
    diff2 += (gradient[i] - refGrad[i]) ** 2;
    ref2 += refGrad[i] ** 2;
  }
  const worst = Math.max(relativeDifference.content, relativeDifference.style, relativeDifference.tv);
  const gradientRelativeL2 = Math.sqrt(diff2 / ref2);
  return { terms: { content: terms.content, style: terms.style, tv: terms.tv, total: terms.total }, relativeDifference, gradientRelativeL2, worstTermRelativeDifference: worst, within1e5: worst <= 1e-5 && gradientRelativeL2 <= 1e-5 };
}

/** The three notebook terms and d(total)/d(combination), as stylize asks the engine for them. */
async function notebookTerms(engine: Engine, arrays: Record<'content' | 'style' | 'combination', Float32Array>, height: number, width: number, pooling: Pooling) {
  const settings = {
    pooling,
    normalization: 'notebook',
    contentLayers: CONTENT_LAYERS,
    styleLayers: BLOCK3_STYLE_LAYERS,
    styleLayerWeights: BLOCK3_STYLE_LAYERS.map(() => 1 / BLOCK3_STYLE_LAYERS.length),
    ...NOTEBOOK_WEIGHTS,
  } as const;
  const image = (data: Float32Array) => ({ height, width, data });
  const scale = await engine.prepareScale(settings, image(arrays.content), [{ image: image(arrays.style), weight: 1 }]);
  try {
    return await scale.evaluate(arrays.combination);
  } finally {
    scale.dispose();
  }
}

export function notebookTables(r: NotebookComparison): Table[] {
  const notes = [
    `real VGG16 blocks 1–3, ${r.pooling} pooling, ${r.width}×${r.height}, content ${r.contentLayers.join(',')}, style ${r.styleLayers.join(',')}, weights ${r.weights.contentWeight} / ${r.weights.styleWeight} / ${r.weights.tvWeight}`,
    `combination: ${r.combination}; reference: bench/torch/notebook_loss.py (float64)`,
    `‖G − A‖ / ‖G‖ (float64): ${Object.entries(r.reference.gramContrast).map(([layer, c]) => `${layer} ${c.toExponential(2)}`).join(', ')}`,
    `load average (1, 5, 15 min): ${r.loadAverage}`,
  ];
  return [
    {
      title: `Parity at ${r.width}×${r.height} (relative difference to PyTorch float64; target ≤ 1e-5 for each term and the gradient)`,
      notes,
      columns: ['backend', 'content', 'style', 'tv', 'total', 'gradient (rel. L2)', 'all ≤ 1e-5'],
      rows: [
        ['PyTorch float64 (value)', r.reference.content, r.reference.style, r.reference.tv, r.reference.total, null, null],
        ['PyTorch float32 (rel. diff)', r.torchFloat32.relativeDifference.content, r.torchFloat32.relativeDifference.style, r.torchFloat32.relativeDifference.tv, r.torchFloat32.relativeDifference.total, r.torchFloat32.gradientRelativeL2, r.torchFloat32.within1e5],
        ...r.backends.flatMap((b) => [
          [`${b.backend} (value)`, b.terms.content, b.terms.style, b.terms.tv, b.terms.total, null, null],
          [`${b.backend} (rel. diff)`, b.relativeDifference.content, b.relativeDifference.style, b.relativeDifference.tv, b.relativeDifference.total, b.gradientRelativeL2, b.within1e5],
        ]),
      ],
    },
    flipsTable(r),
  ];
}

/** Where PyTorch float32 branches otherwise than float64, layer by layer, and its gradient forced along float64's branches. */
function flipsTable(r: NotebookComparison): Table {
  const { relu, maxPool, gradientRelativeL2, forcedGradientRelativeL2 } = r.torchFloat32.flips;
  return {
    title: `Where PyTorch float32 branches otherwise than float64 at ${r.width}×${r.height} (${r.pooling} pooling)`,
    notes: [
      `gradient relative L2 to float64: ${gradientRelativeL2.toExponential(2)} as computed; ${forcedGradientRelativeL2.toExponential(2)} with float32 forced along float64's ReLU pattern and pooling choices`,
    ],
    columns: ['layer', 'units or windows', 'sign changes of the pre-activation / moved maxima', 'largest |float64 pre-activation| among them'],
    rows: [
      ...Object.entries(relu).map(([layer, f]) => [layer, f.units, f.signChanges, f.largestFloat64Magnitude]),
      ...Object.entries(maxPool).map(([layer, f]) => [layer, f.windows, f.argmaxChanges, null]),
    ],
  };
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const sizes = String(args.get('sizes') ?? '64x64,256x256,512x512,200x152').split(',').map((s) => s.split('x').map(Number));
  const backends = args.get('backends') ? (String(args.get('backends')).split(',') as NodeBackendName[]) : undefined;
  const pooling = String(args.get('pooling') ?? 'max') as Pooling;
  const images = String(args.get('images') ?? 'paintings') as NotebookImages;
  (async () => {
    for (const [width, height] of sizes) for (const t of notebookTables(await compareNotebookLoss({ width, height, backends, pooling, images }))) printTable(t);
  })().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
