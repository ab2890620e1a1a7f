// The benchmarks (`npm run bench`): prints tables and writes them, with the raw measurements, to
// bench/results/bench-<ISO date>.json and bench/results/latest.json (not committed: docs/ quotes what matters).
//
//   npm run bench [-- --quick] [--only timing|torch|notebook|multiscale[,…]] [--backends NAME,…] [--init content|random]
//
// --quick: fewer repeats, sizes 128 and 256 only, no long multi-scale run (with --only multiscale, a
// miniature one at 128 px instead). --backends wasm,cpu: time only these (default: every candidate that
// loads, best first; the multi-scale run uses the best of them). --init random: the multi-scale runs start
// from noise instead of the content. Sections:
//   timing      ms per evaluation (forward to block5_conv3 + backward) per backend that loads and size
//   torch       PyTorch on the same synthetic weights, and the ratio ours / PyTorch
//   notebook    loss terms and gradient under the 'notebook' normalisation vs PyTorch float64
//   runner      a job through `pastiche serve` vs the same run in process, and the time to first progress
//               health latency p50/p99 during a job, the job's wall time with 20 health pollers vs none
//   multiscale  single- vs multi-scale at 512 px: time to reach the same loss
//   pool        `pastiche serve --queue` on redis-server: jobs per minute at 128 px with 1, 2, 3 workers, the
//               overhead of one job against the in-memory runner, a worker's death to its job's restart
//   trust       3 users × 10 jobs through a pool of 2 workers with 20 pollers: jobs lost, misreported, cross-user reads
//   tiling      tiled against untiled evaluation at 1024 px; plan, peak RSS and ms per evaluation at 2048, 4096
//               and 8192 px under --max-memory 4GB
//   schedule    the fixed schedule (one scale, 200 evaluations) against the auto schedule (the default) at 512 px
//               on three content × style pairs, real blocks 1–3 weights; writes docs/schedule-comparison.jpg
//               (--quick: one pair at 128 px)
//   checkpoint  one checkpoint's bytes and encode/write/read time at 512, 2048 and 4096 px, and its share of a run;
//               a real 512 px run's checkpoints and their share (--quick: 256 px)
import { execFileSync } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NODE_BACKEND_NAMES, type NodeBackendName } from '@pastiche/core';
import { relaunchWithMallocTuning } from '../packages/node-runner/src/cli/relaunchWithMallocTuning.ts';
import { ensureSyntheticWeights, loadAverage, log, machine, parseArgs, REPO_DIR, RESULTS_DIR } from './common.ts';
import { compareNotebookLoss, notebookTables, type NotebookComparison } from './compareNotebookLoss.ts';
import { multiScaleTables, parseMultiScaleArgs, runMultiScaleSection, type MultiScaleSection } from './multiScale.ts';
import { runnerOverheadTables, runRunnerOverhead, type RunnerOverheadResult } from './runner-overhead.ts';
import { poolThroughputTables, runPoolThroughput, type PoolThroughputResult } from './pool-throughput.ts';
import { poolTrustTable, runPoolTrust, type PoolTrustResult } from './pool-trust.ts';
import { printTable, renderTable, type Table } from './printTable.ts';
import { runTilingSection, tilingTables, type TilingSection } from './tilingSection.ts';
import { runScheduleSection, scheduleTables, type ScheduleSection } from './scheduleSection.ts';
import { checkpointTables, runCheckpointSection, type CheckpointSection } from './checkpointSection.ts';
import { runTimingSection, runTorchSection, timingTables, torchRatios, type TimingSection, type TorchSection } from './timingSection.ts';

const SECTIONS = ['timing', 'torch', 'notebook', 'multiscale', 'runner', 'pool', 'trust', 'tiling', 'schedule', 'checkpoint'] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `usage: npm run bench -- [--quick] [--only ${SECTIONS.join('|')}[,…]] [--backends ${NODE_BACKEND_NAMES.join(',')}] [--init content|random]`;

async function main() {
  // As `pastiche stylize` and the engine processes run: with their malloc tuning. Every child inherits it,
  // PyTorch's included, so both sides stand on the same allocator.
  const relaunched = await relaunchWithMallocTuning();
  if (relaunched !== undefined) return relaunched;
  const args = parseArgs(process.argv.slice(2));
  for (const key of args.keys()) if (!['quick', 'only', 'backends', 'init', 'help'].includes(key)) throw new Error(`unknown flag --${key}\n${USAGE}`);
  if (args.has('help')) {
    console.log(USAGE);
    return 0;
  }
  const quick = args.has('quick');
  const only = args.get('only');
  if (only === true) throw new Error(`--only needs a section\n${USAGE}`);
  const sections = only ? (only.split(',') as Section[]) : [...SECTIONS];
  for (const s of sections) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s}; one of ${SECTIONS.join(', ')}`);
  const sizes = quick ? [128, 256] : [128, 256, 512];
  const backendsFlag = args.get('backends');
  if (backendsFlag === true) throw new Error(`--backends needs a list\n${USAGE}`);
  const candidates = backendsFlag ? (backendsFlag.split(',') as NodeBackendName[]) : [...NODE_BACKEND_NAMES];
  for (const b of candidates) if (!NODE_BACKEND_NAMES.includes(b)) throw new Error(`--backends: unknown backend ${b}; of ${NODE_BACKEND_NAMES.join(', ')}`);
  const runMultiScale = sections.includes('multiscale') && (!quick || only !== undefined);
  const multiScaleArgs = new Map([...args].filter(([key]) => key === 'init'));

  const started = new Date();
  const results: {
    timing?: TimingSection;
    torch?: TorchSection;
    ratios?: Record<number, number>;
    notebook?: NotebookComparison[];
    multiscale?: MultiScaleSection;
    runner?: RunnerOverheadResult;
    pool?: PoolThroughputResult;
    trust?: PoolTrustResult;
    tiling?: TilingSection;
    schedule?: ScheduleSection;
    checkpoint?: CheckpointSection;
  } = {};
  const errors: Record<string, string> = {};
  const tables: Table[] = [];
  const show = (t: Table[]) => {
    for (const table of t) {
      printTable(table);
      tables.push(table);
    }
  };
  const attempt = async (section: Section, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      errors[section] = (error as Error).stack ?? String(error);
      log(`bench: section ${section} failed: ${(error as Error).message}`);
    }
  };

  log(`bench: ${quick ? 'quick, ' : ''}sections ${sections.join(', ')}; load average ${loadAverage()}`);
  const needsSynthetic = sections.includes('timing') || sections.includes('torch');
  const weightsDir = needsSynthetic ? await ensureSyntheticWeights() : '';

  if (sections.includes('timing')) {
    await attempt('timing', async () => {
      results.timing = await runTimingSection(sizes, quick, weightsDir, candidates);
    });
  }
  if (sections.includes('torch')) {
    await attempt('torch', async () => {
      results.torch = await runTorchSection(sizes, quick, weightsDir);
    });
  }
  if (results.timing || results.torch) {
    show(timingTables(results.timing, results.torch));
    if (results.timing && results.torch) results.ratios = torchRatios(results.timing, results.torch);
  }
  if (sections.includes('notebook')) {
    await attempt('notebook', async () => {
      const paritySizes = quick ? [[64, 64], [200, 152]] : [[64, 64], [256, 256], [512, 512], [200, 152]];
      const comparisons: NotebookComparison[] = [];
      results.notebook = comparisons;
      for (const [width, height] of paritySizes) {
        const r = await compareNotebookLoss({ width, height });
        comparisons.push(r);
        show(notebookTables(r));
      }
    });
  }
  if (runMultiScale) {
    await attempt('multiscale', async () => {
      // The backend `--backend auto` would pick, as measured by the timing section when it ran.
      const backend = results.timing?.best ?? 'auto';
      const config = quick
        ? parseMultiScaleArgs(multiScaleArgs, { backend, size: 128, singleEvaluations: 40, scales: 2, coarseBudgets: [20], finalBudget: 80 })
        : parseMultiScaleArgs(multiScaleArgs, { backend, size: 512, singleEvaluations: 200, scales: 3, coarseBudgets: [100, 100], finalBudget: 200 });
      results.multiscale = await runMultiScaleSection(config);
      show(multiScaleTables(results.multiscale));
    });
  } else if (sections.includes('multiscale')) {
    log('bench: --quick skips the long multi-scale run (use --quick --only multiscale for a miniature one)');
  }
  if (sections.includes('runner')) {
    await attempt('runner', async () => {
      results.runner = await runRunnerOverhead({ quick, backend: results.timing?.best ?? 'auto' });
      show(runnerOverheadTables(results.runner));
    });
  }

  if (sections.includes('pool')) {
    await attempt('pool', async () => {
      results.pool = await runPoolThroughput({ quick });
      show(poolThroughputTables(results.pool));
    });
  }

  if (sections.includes('trust')) {
    await attempt('trust', async () => {
      results.trust = await runPoolTrust();
      show([poolTrustTable(results.trust)]);
    });
  }

  if (sections.includes('tiling')) {
    await attempt('tiling', async () => {
      results.tiling = await runTilingSection({ quick });
      show(tilingTables(results.tiling));
    });
  }

  if (sections.includes('schedule')) {
    await attempt('schedule', async () => {
      results.schedule = await runScheduleSection({ size: quick ? 128 : 512, pairs: quick ? 1 : 3, backend: results.timing?.best ?? 'auto' });
      show(scheduleTables(results.schedule));
    });
  }

  if (sections.includes('checkpoint')) {
    await attempt('checkpoint', async () => {
      results.checkpoint = await runCheckpointSection({ quick });
      show(checkpointTables(results.checkpoint));
    });
  }

  const finished = new Date();
  const report = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    quick,
    sections,
    machine: machine(),
    git: gitState(),
    loadAverageAtEnd: loadAverage(),
    summary: summary(results),
    errors,
    tables: tables.map((t) => ({ ...t, text: renderTable(t) })),
    results,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = started.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'); // basic ISO 8601: 20250101T120000Z
  const file = path.join(RESULTS_DIR, `bench-${stamp}${quick ? '-quick' : ''}${only ? `-${sections.join('+')}` : ''}.json`);
  const json = `${JSON.stringify(report, null, 1)}\n`;
  for (const target of [file, path.join(RESULTS_DIR, 'latest.json')]) {
    await writeFile(`${target}.tmp`, json);
    await rename(`${target}.tmp`, target);
  }
  console.log(`\nwrote ${path.relative(REPO_DIR, file)} and bench/results/latest.json`);
  return Object.keys(errors).length ? 1 : 0;
}

/** The commit measured, and the files under packages/ that differed from it when the run ended. */
function gitState() {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPO_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  const changed = git('status', '--porcelain', '--', 'packages');
  return { commit: git('rev-parse', 'HEAD'), uncommittedInPackages: changed ? changed.split('\n') : [] };
}

/** The figures the project aims at, each with its measured value. */
function summary(r: { timing?: TimingSection; torch?: TorchSection; ratios?: Record<number, number>; notebook?: NotebookComparison[]; multiscale?: MultiScaleSection; runner?: RunnerOverheadResult; schedule?: ScheduleSection; checkpoint?: CheckpointSection }) {
  const out: Record<string, unknown> = {};
  if (r.timing) {
    out.bestBackend = r.timing.best;
    out.numTensorsFlatInTiming = r.timing.backends.every((b) => b.results.every((x) => x.numTensorsFlat !== false));
  }
  for (const size of [256, 512]) {
    if (r.ratios?.[size] !== undefined) out[`torchRatioAt${size}`] = { value: r.ratios[size], target: '≤ 0.5', met: r.ratios[size] <= 0.5 };
  }
  if (r.ratios) out.torchRatios = r.ratios;
  if (r.notebook) {
    out.parity = r.notebook.flatMap((n) =>
      n.backends.map((b) => ({ size: `${n.width}×${n.height}`, backend: b.backend, worstTerm: b.worstTermRelativeDifference, gradientRelativeL2: b.gradientRelativeL2, target: '≤ 1e-5', met: b.within1e5 })),
    );
  }
  if (r.multiscale) {
    const m = r.multiscale;
    out.multiScaleTimeRatio = { value: m.timeRatio, target: '< 0.5', met: m.multi.reached && m.timeRatio < 0.5 };
    out.singleScalePeakRssMB = { value: m.single.peakRssMB, target: '< 1500', met: m.single.peakRssMB < 1500 };
  }
  if (r.runner) {
    const h = r.runner.health;
    out.runnerJobSlowdownWith20HealthPollers = { value: h.slowdownPercent, target: '≤ 5 %', met: h.slowdownPercent <= 5 };
    out.runnerHealthP99MsDuringJob = { value: h.healthP99Ms, target: '< 100', met: h.healthP99Ms < 100 };
  }
  if (r.checkpoint) {
    const shares = r.checkpoint.sizes.filter((c) => c.share !== undefined).map((c) => ({ size: `${c.width}×${c.height}`, share: c.share! }));
    out.checkpointShareOfRun = { value: shares, target: '≤ 2 %', met: shares.every((c) => c.share <= 2) };
  }
  if (r.schedule) {
    out.scheduleAutoAgainstFixed = r.schedule.pairs.map((p) => ({
      pair: `${p.content} × ${p.style}`,
      lossRatio: p.auto.loss / p.fixed.loss,
      autoSeconds: p.auto.seconds,
      target: `loss ≤ fixed's in ≤ 40 s at ${r.schedule!.size} px`,
      met: p.auto.loss <= p.fixed.loss && p.auto.seconds <= 40,
    }));
  }
  return out;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
