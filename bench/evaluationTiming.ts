// Child script: times evaluations (forward to block5_conv3 + backward to the image) on one backend at one
// size, in its own process so that the peak RSS belongs to this configuration. Prints one JSON line.
//
//   node --import tsx bench/evaluationTiming.ts --backend wasm --size 256 --repeats 3 [--warmup 1] [--weights DIR]
import * as tf from '@tensorflow/tfjs-core';
import {
  decodeConvWeights,
  DEFAULT_WEIGHTS,
  readModelFiles,
  rgbaToRgb,
  toVggInput,
  type ObjectiveSettings,
  type RgbaImage,
} from '@pastiche/core';
import { NODE_BACKEND_NAMES, type NodeBackendName } from '@pastiche/core';
import { selectBackend } from '../packages/node-runner/src/backend/selectBackend.ts';
import { CONTENT_LAYERS, ensureSyntheticWeights, folderSource, FULL_STYLE_LAYERS, isMain, log, median, parseArgs, peakRssMB, randomRgba, round } from './common.ts';

export interface EvaluationTiming {
  backend: NodeBackendName;
  size: number;
  /** Set when the backend does not load here; nothing else is then. */
  unavailable?: string;
  backendDetails?: Record<string, unknown>;
  warmupEvaluations?: number;
  /** Wall time of each evaluation, warm-up(s) first, ms. */
  msAll?: number[];
  /** Median wall time of the evaluations after the warm-up. */
  msPerEvaluation?: number;
  /** Fastest evaluation after the warm-up: the least disturbed by other work on a shared machine. */
  msMin?: number;
  /** Median process CPU time (all threads) of the evaluations after the warm-up: a hint on a shared machine. */
  cpuMsPerEvaluation?: number;
  /** tf.memory().numTensors after each evaluation (its outputs released). */
  numTensorsAfter?: number[];
  numTensorsAfterEval2?: number;
  numTensorsAfterLast?: number;
  numTensorsFlat?: boolean;
  /** Largest tf.memory().numBytes seen after an evaluation, MB (backend-held tensors between evaluations). */
  tensorMBBetweenEvaluations?: number;
  peakRssMB?: number;
  rssBeforeEvaluationsMB?: number;
  loss?: number;
  gradL2?: number;
}

/** The objective as stylize sets it for the default layers and the scale-invariant normalisation. */
const SETTINGS: ObjectiveSettings = {
  pooling: 'max',
  normalization: 'scale-invariant',
  contentLayers: CONTENT_LAYERS,
  styleLayers: FULL_STYLE_LAYERS,
  styleLayerWeights: FULL_STYLE_LAYERS.map(() => 1 / FULL_STYLE_LAYERS.length),
  ...DEFAULT_WEIGHTS['scale-invariant'],
};

const vggInput = (image: RgbaImage) => toVggInput(rgbaToRgb(image));

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const backend = String(args.get('backend') ?? 'wasm') as NodeBackendName;
  if (!NODE_BACKEND_NAMES.includes(backend)) throw new Error(`--backend: one of ${NODE_BACKEND_NAMES.join(', ')}`);
  const size = Number(args.get('size') ?? 256);
  const repeats = Number(args.get('repeats') ?? 3);
  const warmup = Number(args.get('warmup') ?? 1);
  const weightsDir = typeof args.get('weights') === 'string' ? String(args.get('weights')) : await ensureSyntheticWeights();

  let choice: Awaited<ReturnType<typeof selectBackend>>;
  try {
    choice = await selectBackend(backend);
  } catch (error) {
    const reason = (error as Error).message.replace(/^no engine could be loaded \((.*)\)$/, '$1');
    console.log(JSON.stringify({ backend, size, unavailable: reason } satisfies EvaluationTiming));
    return;
  }
  const tfjs = backend === 'wasm' || backend === 'cpu'; // tensor counts exist only there
  const backendDetails: Record<string, unknown> = { device: choice.device, ...(tfjs ? { tfBackend: tf.getBackend() } : {}) };
  if (backend === 'wasm') {
    // The threaded build is started by selectBackend itself: tfjs's own flag says no threads in Node.
    backendDetails.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    backendDetails.threads = choice.threads;
  }

  // The tfjs engine exactly as stylize calls it: evaluate uploads x, downloads the terms and the gradient.
  const engine = await choice.createEngine('vgg16', decodeConvWeights(await readModelFiles(folderSource(weightsDir))));
  const scale = await engine.prepareScale(SETTINGS, vggInput(randomRgba(size, size, 1)), [{ image: vggInput(randomRgba(size, size, 2)), weight: 1 }]);
  const x = vggInput(randomRgba(size, size, 3)).data;
  const rssBefore = peakRssMB();

  const ms: number[] = [];
  const cpuMs: number[] = [];
  const numTensorsAfter: number[] = [];
  let tensorBytes = 0;
  let loss = NaN;
  let gradL2 = NaN;
  for (let i = 0; i < warmup + repeats; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { terms, gradient } = await scale.evaluate(x);
    ms.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuMs.push((cpu.user + cpu.system) / 1000);
    loss = terms.total;
    let s2 = 0;
    for (const g of gradient) s2 += g * g;
    gradL2 = Math.sqrt(s2);
    if (!Number.isFinite(loss) || !Number.isFinite(gradL2)) throw new Error(`non-finite loss ${loss} or gradient norm ${gradL2}`);
    if (tfjs) {
      numTensorsAfter.push(tf.memory().numTensors);
      tensorBytes = Math.max(tensorBytes, tf.memory().numBytes);
    }
    log(`  ${backend} ${size}px: evaluation ${i + 1}/${warmup + repeats}${i < warmup ? " (warm-up)" : ""} ${ms[i].toFixed(0)} ms, loss ${loss.toPrecision(7)}`);
  }
  scale.dispose();
  engine.dispose();

  const timed = ms.slice(warmup);
  const afterEval2: number | undefined = numTensorsAfter[1]; // undefined after a single evaluation
  const afterLast = numTensorsAfter[numTensorsAfter.length - 1];
  const out: EvaluationTiming = {
    backend,
    size,
    backendDetails,
    warmupEvaluations: warmup,
    msAll: ms.map((t) => round(t)),
    msPerEvaluation: round(median(timed)),
    msMin: round(Math.min(...timed)),
    cpuMsPerEvaluation: round(median(cpuMs.slice(warmup))),
    ...(tfjs && {
      numTensorsAfter,
      numTensorsAfterEval2: afterEval2,
      numTensorsAfterLast: afterLast,
      numTensorsFlat: afterEval2 === undefined ? undefined : numTensorsAfter.slice(1).every((n) => n === afterEval2),
      tensorMBBetweenEvaluations: round(tensorBytes / 2 ** 20),
    }),
    peakRssMB: round(peakRssMB()),
    rssBeforeEvaluationsMB: round(rssBefore),
    loss,
    gradL2,
  };
  console.log(JSON.stringify(out));
}

if (isMain(import.meta.url)) {
  main().then(
    () => process.exit(0), // tfjs-node and wasm may keep handles open
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
