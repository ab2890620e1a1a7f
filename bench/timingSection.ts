// Sections 1 and 2: ms per evaluation for every backend that loads (each backend × size in its own process),
// and PyTorch on the same synthetic weights, layers and sizes.
import { NODE_BACKEND_NAMES, type NodeBackendName } from '@pastiche/core';
import { loadAverage, log, runChildScript } from './common.ts';
import type { EvaluationTiming } from './evaluationTiming.ts';
import type { Table } from './printTable.ts';
import { timeTorch, type TorchTiming } from './torchTiming.ts';

export interface TimingSection {
  sizes: number[];
  /** Per backend: its measurements, or why it did not load. */
  backends: Array<{ backend: NodeBackendName; unavailable?: string; results: EvaluationTiming[]; failed?: Record<number, string> }>;
  /** The backend `--backend auto` picks here: the first of tensorflow-gpu, tensorflow, wasm, cpu that loads. */
  best?: NodeBackendName;
  loadAverageBefore: string;
  loadAverageAfter: string;
}

export interface TorchSection extends TorchTiming {
  loadAverageBefore: string;
  loadAverageAfter: string;
}

/**
 * Warm-up and timed evaluations per configuration. The pure-JS cpu backend is far slower than the others
 * (minutes per evaluation at 256 px and up on a shared 2-core machine) and has no compile step to warm
 * up: fewer there, and at 512 px (and at 256 px with --quick) a single evaluation, no warm-up. Its
 * numTensors check (after evaluation 2 = after the last) is then made at the smaller sizes.
 */
export function evaluationsFor(backend: NodeBackendName, size: number, quick: boolean): { warmup: number; repeats: number } {
  if (backend === 'cpu') {
    if (size >= 512 || (quick && size >= 256)) return { warmup: 0, repeats: 1 };
    return { warmup: 1, repeats: quick || size >= 256 ? 1 : 2 };
  }
  return { warmup: 1, repeats: quick ? 2 : size <= 128 ? 5 : 3 };
}

export async function runTimingSection(sizes: number[], quick: boolean, weightsDir: string, candidates: readonly NodeBackendName[] = NODE_BACKEND_NAMES): Promise<TimingSection> {
  const loadAverageBefore = loadAverage();
  const backends: TimingSection['backends'] = [];
  for (const backend of candidates) {
    const entry: TimingSection['backends'][number] = { backend, results: [] };
    backends.push(entry);
    for (const size of sizes) {
      const { warmup, repeats } = evaluationsFor(backend, size, quick);
      log(`evaluation timing: ${backend} at ${size} px (${warmup} warm-up, ${repeats} timed; load ${loadAverage()})`);
      let r: EvaluationTiming;
      try {
        r = await runChildScript<EvaluationTiming>('evaluationTiming.ts', [
          '--backend', backend, '--size', String(size), '--warmup', String(warmup), '--repeats', String(repeats), '--weights', weightsDir,
        ]);
      } catch (error) {
        log(`  ${backend} at ${size} px failed: ${(error as Error).message}`);
        entry.failed = { ...entry.failed, [size]: (error as Error).message };
        continue;
      }
      if (r.unavailable) {
        entry.unavailable = r.unavailable;
        log(`  ${backend}: not available (${r.unavailable})`);
        break;
      }
      entry.results.push(r);
    }
  }
  const best = backends.find((b) => !b.unavailable && b.results.length > 0)?.backend;
  return { sizes, backends, best, loadAverageBefore, loadAverageAfter: loadAverage() };
}

export async function runTorchSection(sizes: number[], quick: boolean, weightsDir: string): Promise<TorchSection> {
  const loadAverageBefore = loadAverage();
  const r = await timeTorch(weightsDir, sizes, quick ? 2 : 3);
  return { ...r, loadAverageBefore, loadAverageAfter: loadAverage() };
}

const ms = (x: number | undefined) => (x === undefined ? undefined : Math.round(x));
const loadNote = (before: string, after: string) => `load average (1, 5, 15 min) before: ${before}; after: ${after} (2 cores)`;

export function timingTables(timing: TimingSection | undefined, torch: TorchSection | undefined): Table[] {
  const tables: Table[] = [];
  if (timing) {
    tables.push({
      title: 'Evaluation timing: VGG16 forward to block5_conv3 + backward to the image (synthetic full-depth weights)',
      notes: [
        'content block2_conv2, style block1_conv2…block5_conv3, scale-invariant normalisation; each engine\'s ScaleObjective.evaluate, as stylize calls it',
        'ms/eval: median wall time after 1 warm-up; cpu ms: median process CPU time (a hint on a shared machine); each backend × size in its own process',
        loadNote(timing.loadAverageBefore, timing.loadAverageAfter),
        ...timing.backends.filter((b) => b.unavailable).map((b) => `${b.backend}: not available — ${b.unavailable}`),
        ...timing.backends.flatMap((b) => Object.entries(b.failed ?? {}).map(([size, why]) => `${b.backend} at ${size} px failed: ${why}`)),
      ],
      columns: ['backend', 'size', 'warm-up + timed', 'ms/eval', 'min ms', 'cpu ms/eval', 'peak RSS MB', 'tensors after eval 2', 'after last', 'equal'],
      rows: timing.backends.flatMap((b) =>
        b.results.map((r) => [
          b.backend + (r.backendDetails?.simd !== undefined ? ` (simd ${r.backendDetails.simd ? 'yes' : 'no'}, threads ${r.backendDetails.threads ? 'yes' : 'no'})` : ''),
          r.size,
          `${r.warmupEvaluations ?? 0} + ${(r.msAll?.length ?? 0) - (r.warmupEvaluations ?? 0)}`,
          ms(r.msPerEvaluation),
          ms(r.msMin),
          ms(r.cpuMsPerEvaluation),
          r.peakRssMB,
          r.numTensorsAfterEval2,
          r.numTensorsAfterLast,
          // tfjs only: ONNX Runtime holds no tensors between evaluations.
          r.numTensorsAfter === undefined ? null : r.numTensorsAfterEval2 === undefined ? 'one eval' : r.numTensorsAfterEval2 === r.numTensorsAfterLast,
        ]),
      ),
    });
  }
  if (torch) {
    tables.push({
      title: `PyTorch ${torch.torch} CPU, ${torch.threads} threads, same weights, layers and sizes (bench/torch/time_evaluation.py)`,
      notes: [loadNote(torch.loadAverageBefore, torch.loadAverageAfter)],
      columns: ['size', 'timed evals', 'ms/eval', 'min ms', 'cpu ms/eval (all threads)', 'peak RSS MB'],
      rows: torch.results.map((r) => [r.size, r.msAll.length, r.msPerEvaluation, Math.min(...r.msAll), r.cpuMsPerEvaluation, r.peakRssMB]),
    });
  }
  if (timing?.best && torch) {
    const ours = timing.backends.find((b) => b.backend === timing.best)!;
    tables.push({
      title: `Ours (${timing.best}, the backend auto picks) / PyTorch (${torch.threads} threads): target ≤ 0.5× at 256 and 512 px`,
      notes: [
        'wall ratio: median ms/eval ours / PyTorch; min ratio: fastest evaluation ours / PyTorch; cpu ratio: CPU time ours / PyTorch (all its threads)',
        'under load the wall ratios depend on how much of the 2 cores each side got; both use every core, so a busy machine slows both',
        loadNote(timing.loadAverageBefore, torch.loadAverageAfter),
      ],
      columns: ['size', 'ours ms/eval', 'PyTorch ms/eval', 'wall ratio', 'min ratio', 'cpu ratio', 'wall ≤ 0.5×'],
      rows: ours.results.flatMap((r) => {
        const t = torch.results.find((x) => x.size === r.size);
        if (!t || r.msPerEvaluation === undefined) return [];
        const ratio = r.msPerEvaluation / t.msPerEvaluation;
        const minRatio = (r.msMin ?? NaN) / Math.min(...t.msAll);
        return [[r.size, r.msPerEvaluation, t.msPerEvaluation, ratio, minRatio, (r.cpuMsPerEvaluation ?? NaN) / t.cpuMsPerEvaluation, ratio <= 0.5]];
      }),
    });
  }
  return tables;
}

/** ours/PyTorch wall-time ratio per size for the best backend. */
export function torchRatios(timing: TimingSection | undefined, torch: TorchSection | undefined): Record<number, number> {
  const out: Record<number, number> = {};
  const ours = timing?.backends.find((b) => b.backend === timing.best);
  for (const r of ours?.results ?? []) {
    const t = torch?.results.find((x) => x.size === r.size);
    if (t && r.msPerEvaluation !== undefined) out[r.size] = r.msPerEvaluation / t.msPerEvaluation;
  }
  return out;
}
