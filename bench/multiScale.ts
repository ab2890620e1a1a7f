// Section 4: single- vs multi-scale at 512 px on the real blocks 1–3 weights (Tübingen × Starry Night,
// same seed and options). Single scale: 200 evaluations at 512 px give its final loss L and wall time T.
// Multi-scale: fixed budgets at the coarse scales, then the final scale until an evaluation's loss ≤ L
// (losses compare across scales under the default scale-invariant normalisation). Each run in its own process.
//
//   node --import tsx bench/multiScale.ts [--backend auto] [--init content|random] [--size 512] [--evaluations 200] [--scales 3] [--budgets 100,100] [--final-budget 200]
import { NODE_BACKEND_NAMES, type NodeBackendName } from '@pastiche/core';
import { isMain, loadAverage, log, parseArgs, round, runChildScript } from './common.ts';
import { printTable, type Table } from './printTable.ts';
import type { StylizeRunResult } from './stylizeRun.ts';

export interface MultiScaleConfig {
  /** 'auto': the backend `--backend auto` picks. */
  backend: NodeBackendName | 'auto';
  size: number;
  /** Evaluations of the single-scale run. */
  singleEvaluations: number;
  scales: number;
  /** Budgets of the coarse scales, coarsest first (scales − 1 of them). */
  coarseBudgets: number[];
  /** Most evaluations the final scale may take to reach L. */
  finalBudget: number;
  /** Initial image of both runs: the content (the default) or noise (Gatys et al.'s and neural-style's). */
  init: 'content' | 'random';
}

interface RunSummary {
  label: string;
  evaluations: number;
  /** Evaluations weighted by their pixels relative to the final size: the cost in final-size evaluations. */
  finalSizeEquivalentEvaluations: number;
  seconds: number;
  loss: number;
  peakRssMB: number;
  numTensorsBeforeRun: number;
  numTensorsAfterRun: number;
  /** numTensors after each evaluation of the final scale is constant from this evaluation on (L-BFGS fills its history first). */
  numTensorsFlatFromEvaluation: number;
  numTensorsAtFinalScale: { min: number; max: number; last: number };
  loadAverageBefore: string;
  loadAverageAfter: string;
}

export interface MultiScaleSection {
  config: MultiScaleConfig;
  single: RunSummary & { finalLoss: number };
  multi: RunSummary & { reached: boolean; finalScaleEvaluations: number; evaluationsPerScale: number[] };
  timeRatio: number;
  equivalentEvaluationRatio: number;
  runs: { single: StylizeRunResult; multi: StylizeRunResult };
}

export async function runMultiScaleSection(config: MultiScaleConfig): Promise<MultiScaleSection> {
  const { backend, size } = config;
  log(`multi-scale: single scale, ${config.singleEvaluations} evaluations at ${size} px on ${backend} (load ${loadAverage()})`);
  const singleLoad = loadAverage();
  const single = await runChildScript<StylizeRunResult>('stylizeRun.ts', [
    '--backend', backend, '--init', config.init, '--size', String(size), '--scales', '1', '--evaluations', String(config.singleEvaluations), '--label', 'single scale',
  ]);
  const singleLoadAfter = loadAverage();
  if (!single.stats) throw new Error('the single-scale run did not finish');
  const L = single.stats.loss.total;

  const budgets = [...config.coarseBudgets, config.finalBudget];
  log(`multi-scale: ${config.scales} scales, budgets ${budgets.join(',')}, final scale until loss ≤ ${L.toPrecision(6)} (load ${loadAverage()})`);
  const multiLoad = loadAverage();
  const multi = await runChildScript<StylizeRunResult>('stylizeRun.ts', [
    '--backend', backend, '--init', config.init, '--size', String(size), '--scales', String(config.scales), '--evaluations', budgets.join(','),
    '--stop-at-loss', String(L), '--label', `${config.scales} scales`,
  ]);
  const multiLoadAfter = loadAverage();

  const singleSummary = summarize(single, 'single scale', singleLoad, singleLoadAfter);
  const multiSummary = summarize(multi, `${config.scales} scales (${config.coarseBudgets.join(', ')}, then until ≤ L)`, multiLoad, multiLoadAfter);
  const perScale = Array.from({ length: config.scales }, (_, s) => multi.trace.filter((t) => t[0] === s).length);
  return {
    config,
    single: { ...singleSummary, finalLoss: L },
    multi: { ...multiSummary, reached: multi.reached !== undefined, finalScaleEvaluations: perScale[perScale.length - 1], evaluationsPerScale: perScale },
    timeRatio: multiSummary.seconds / singleSummary.seconds,
    equivalentEvaluationRatio: multiSummary.finalSizeEquivalentEvaluations / singleSummary.finalSizeEquivalentEvaluations,
    runs: { single, multi },
  };
}

function summarize(run: StylizeRunResult, label: string, loadAverageBefore: string, loadAverageAfter: string): RunSummary {
  const last = run.trace[run.trace.length - 1];
  const finalScale = last[0];
  const scales = run.options.scales ?? 1;
  // Pixels of each scale relative to the final one: sizes halve per scale.
  const weight = (scale: number) => 4 ** -(scales - 1 - scale);
  const atFinal = run.trace.filter((t) => t[0] === finalScale).map((t) => t[4]);
  let flatFrom = atFinal.length;
  while (flatFrom > 0 && atFinal[flatFrom - 1] === atFinal[atFinal.length - 1]) flatFrom--;
  const elapsedMs = run.reached?.elapsedMs ?? run.stats?.elapsedMs ?? last[3];
  return {
    label,
    evaluations: run.reached?.totalEvaluation ?? run.trace.length,
    finalSizeEquivalentEvaluations: round(run.trace.reduce((n, t) => n + weight(t[0]), 0), 1),
    seconds: elapsedMs / 1000,
    loss: run.reached?.loss ?? run.stats?.loss.total ?? Math.min(...run.trace.map((t) => t[2])),
    peakRssMB: run.peakRssMB,
    numTensorsBeforeRun: run.numTensorsBeforeRun,
    numTensorsAfterRun: run.numTensorsAfterRun,
    numTensorsFlatFromEvaluation: flatFrom + 1,
    numTensorsAtFinalScale: { min: Math.min(...atFinal), max: Math.max(...atFinal), last: atFinal[atFinal.length - 1] },
    loadAverageBefore,
    loadAverageAfter,
  };
}

const backendLabel = (run: StylizeRunResult) => (run.threads === undefined ? run.backend : `${run.backend}, ${run.threads} thread${run.threads === 1 ? '' : 's'}`);

export function multiScaleTables(r: MultiScaleSection): Table[] {
  const c = r.config;
  const rows = [r.single, r.multi].map((s) => [
    s.label,
    s.evaluations,
    s.finalSizeEquivalentEvaluations,
    s.seconds,
    s.loss,
    s.seconds / r.single.seconds,
    s.peakRssMB,
    `${s.numTensorsAtFinalScale.last} from eval ${s.numTensorsFlatFromEvaluation}`,
    `${s.numTensorsBeforeRun} → ${s.numTensorsAfterRun}`,
    `${s.loadAverageBefore} → ${s.loadAverageAfter}`,
  ]);
  return [
    {
      title: `Single- vs multi-scale at ${c.size} px: time to reach the single-scale run's final loss L (target: multi < 0.5× single; peak RSS of the single run < 1500 MB)`,
      notes: [
        `real VGG16 blocks 1–3, Tübingen × Starry Night, content block2_conv2, style block1_conv2,block2_conv2,block3_conv3, scale-invariant defaults, L-BFGS, init ${c.init}, seed ${r.runs.single.options.seed}, ${backendLabel(r.runs.single)} backend (multi-scale: ${backendLabel(r.runs.multi)}); each run in its own process`,
        `L = ${r.single.finalLoss.toPrecision(6)} after ${c.singleEvaluations} single-scale evaluations; multi-scale evaluations per scale: ${r.multi.evaluationsPerScale.join(', ')}${r.multi.reached ? '' : ` — L NOT reached within ${c.finalBudget} final-scale evaluations`}`,
        'equiv. evals: evaluations weighted by pixels relative to the final size; tensors: tf.memory().numTensors after each final-scale evaluation (constant once L-BFGS history is full), and before → after the run',
        `time ratio multi/single: ${r.timeRatio.toFixed(3)}; equivalent-evaluation ratio: ${r.equivalentEvaluationRatio.toFixed(3)}`,
      ],
      columns: ['run', 'evaluations', 'equiv. evals', 'seconds', 'loss', '× single time', 'peak RSS MB', 'tensors per eval', 'tensors before → after', 'load average (1, 5, 15 min)'],
      rows,
    },
  ];
}

export function parseMultiScaleArgs(args: Map<string, string | true>, defaults: Partial<MultiScaleConfig> = {}): MultiScaleConfig {
  const backend = String(args.get('backend') ?? defaults.backend ?? 'auto') as NodeBackendName | 'auto';
  if (backend !== 'auto' && !NODE_BACKEND_NAMES.includes(backend)) throw new Error(`--backend: auto or one of ${NODE_BACKEND_NAMES.join(', ')}`);
  const scales = Number(args.get('scales') ?? defaults.scales ?? 3);
  const init = String(args.get('init') ?? defaults.init ?? 'content') as MultiScaleConfig['init'];
  if (init !== 'content' && init !== 'random') throw new Error('--init: content or random');
  const coarseBudgets = args.has('budgets') ? String(args.get('budgets')).split(',').map(Number) : defaults.coarseBudgets ?? Array(scales - 1).fill(100);
  if (coarseBudgets.length !== scales - 1) throw new Error(`--budgets: ${scales - 1} budgets for the coarse scales`);
  return {
    backend,
    size: Number(args.get('size') ?? defaults.size ?? 512),
    singleEvaluations: Number(args.get('evaluations') ?? defaults.singleEvaluations ?? 200),
    scales,
    coarseBudgets,
    finalBudget: Number(args.get('final-budget') ?? defaults.finalBudget ?? 200),
    init,
  };
}

if (isMain(import.meta.url)) {
  runMultiScaleSection(parseMultiScaleArgs(parseArgs(process.argv.slice(2)))).then(
    (r) => {
      for (const t of multiScaleTables(r)) printTable(t);
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
