// Section "schedule": the fixed schedule (one scale, 200 evaluations) against the auto schedule (the
// default) on three content × style pairs, real VGG16 blocks 1–3 weights, one engine in this process. Prints
// time, evaluations, final-size-equivalent evaluations, the final loss (both at the final size, under its
// objective), the time to the first preview, and the estimate before the run (calibrated, every scale
// spending its budget: an upper bound) against the actual time. Writes docs/schedule-comparison.jpg: per
// pair, content | fixed | auto.
//
//   node --import tsx bench/scheduleSection.ts [--size 512] [--pairs 3] [--backend auto]
import path from 'node:path';
import sharp from 'sharp';
import {
  calibrateEngine,
  createPastiche,
  estimateScheduleTime,
  planScales,
  scaleSizes,
  stylize,
  validateRequest,
  type Engine,
  type RgbaImage,
  type StylizeOptions,
} from '@pastiche/core';
import type { NodeBackendName } from '@pastiche/core';
import { selectBackend } from '../packages/node-runner/src/backend/selectBackend.ts';
import { readImageFile } from '../packages/node-runner/src/images/readImageFile.ts';
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, folderSource, IMAGES_DIR, isMain, loadAverage, log, parseArgs, REAL_WEIGHTS_DIR, REPO_DIR, round } from './common.ts';
import { printTable, type Table } from './printTable.ts';

/** Three photographs, each with a painting. */
export const SCHEDULE_PAIRS: Array<[content: string, style: string]> = [
  ['tubingen.jpg', 'starry_night.jpg'],
  ['chelsea.png', 'woman_with_hat.jpg'],
  ['coffee.png', 'the_scream.jpg'],
];
const SEED = 42;
const COMPARISON_FILE = path.join(REPO_DIR, 'docs', 'schedule-comparison.jpg');
/** Panel height in the comparison image: small enough for the README (≤ 400 KB). */
const PANEL_HEIGHT = 220;

export interface ScheduleRun {
  schedule: 'fixed' | 'auto' | 'preview';
  seconds: number;
  /** CPU seconds of this process over the run (all threads): less load-dependent than seconds, though ORT's spinning threads inflate it under load. */
  cpuSeconds: number;
  evaluations: number;
  finalSizeEquivalentEvaluations: number;
  loss: number;
  /** From the call to the first progress event that carried a preview. */
  firstPreviewSeconds?: number;
  /** Before the run: calibrated time per evaluation of each scale × its budget (an upper bound for auto). */
  estimateSeconds: number;
  scales: string;
  load: string;
}

export interface ScheduleSection {
  size: number;
  backend: string;
  pairs: Array<{ content: string; style: string; fixed: ScheduleRun; auto: ScheduleRun }>;
  comparisonImage: string;
}

export async function runScheduleSection(config: { size: number; pairs: number; backend: NodeBackendName | 'auto' }): Promise<ScheduleSection> {
  const { name: backend, createEngine } = await selectBackend(config.backend);
  const pastiche = createPastiche({ weights: { vgg16: folderSource(REAL_WEIGHTS_DIR) }, createEngine });
  const engine = await pastiche.loadModel('vgg16');
  const pairs: ScheduleSection['pairs'] = [];
  const rows: RgbaImage[][] = [];
  try {
    for (const [contentFile, styleFile] of SCHEDULE_PAIRS.slice(0, config.pairs)) {
      const content = await readImageFile(path.join(IMAGES_DIR, contentFile), 'content', config.size);
      const style = await readImageFile(path.join(IMAGES_DIR, styleFile), 'style', config.size);
      const base: StylizeOptions = { size: config.size, contentLayers: CONTENT_LAYERS, styleLayers: BLOCK3_STYLE_LAYERS, seed: SEED };
      const fixed = await timedRun(engine, content, style, { ...base, schedule: 'fixed' }, `${contentFile} × ${styleFile}, fixed`);
      const auto = await timedRun(engine, content, style, base, `${contentFile} × ${styleFile}, auto`);
      pairs.push({ content: contentFile, style: styleFile, fixed: fixed.run, auto: auto.run });
      rows.push([content, fixed.image, auto.image]);
      // After each pair, so that an interrupted run still leaves what it measured.
      await writeComparison(rows, COMPARISON_FILE);
      log(`schedule: ${JSON.stringify(pairs[pairs.length - 1])}`);
    }
  } finally {
    pastiche.dispose();
  }
  return { size: config.size, backend, pairs, comparisonImage: path.relative(REPO_DIR, COMPARISON_FILE) };
}

async function timedRun(engine: Engine, content: RgbaImage, style: RgbaImage, options: StylizeOptions, label: string): Promise<{ run: ScheduleRun; image: RgbaImage }> {
  const request = { content, styles: [{ image: style }], options };
  const resolved = validateRequest(request).options;
  const sizes = scaleSizes(content.height, content.width, resolved.scaleSides);
  const plans = planScales(resolved, sizes, engine.limits);
  const estimateMs = estimateScheduleTime(resolved, plans, await calibrateEngine(engine, resolved, Math.min(256, resolved.size))).ms;

  const loadBefore = loadAverage();
  log(`schedule: ${label}, ${resolved.scaleSides.join('/')} px, budgets ${resolved.evaluations.join('/')} (estimate ≤ ${(estimateMs / 1000).toFixed(0)} s; load ${loadBefore})`);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let firstPreviewMs: number | undefined;
  const result = await stylize(engine, request, {
    previewEvery: 10,
    onProgress: (p) => {
      if (p.preview && firstPreviewMs === undefined) firstPreviewMs = performance.now() - started;
      if (p.evaluation % 20 === 0) log(`  ${label}: ${p.width}×${p.height} evaluation ${p.evaluation}/${p.evaluations}, loss ${p.loss.total.toPrecision(6)}, ${(p.elapsedMs / 1000).toFixed(0)} s`);
    },
  });
  const { stats } = result;
  const cpu = process.cpuUsage(cpuBefore);
  const final = stats.scales[stats.scales.length - 1];
  const equivalent = stats.scales.reduce((sum, s) => sum + (s.evaluations * s.width * s.height) / (final.width * final.height), 0);
  const run: ScheduleRun = {
    schedule: resolved.schedule,
    seconds: round(stats.elapsedMs / 1000, 1),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
    evaluations: stats.evaluations,
    finalSizeEquivalentEvaluations: round(equivalent, 1),
    loss: stats.loss.total,
    firstPreviewSeconds: firstPreviewMs === undefined ? undefined : round(firstPreviewMs / 1000, 2),
    estimateSeconds: round(estimateMs / 1000, 1),
    scales: stats.scales.map((s) => `${Math.max(s.width, s.height)}:${s.evaluations}${s.stopReason === 'budget' ? '' : ` ${s.stopReason}`}`).join(', '),
    load: `${loadBefore} → ${loadAverage()}`,
  };
  log(`  ${label}: ${run.seconds} s, ${run.evaluations} evaluations (${run.finalSizeEquivalentEvaluations} final-size), loss ${run.loss.toPrecision(6)}`);
  return { run, image: result.image };
}

/** One row per pair: content | fixed | auto, each PANEL_HEIGHT high, as a JPEG. */
async function writeComparison(rows: RgbaImage[][], file: string) {
  const gap = 6;
  const panels = await Promise.all(
    rows.map((row) =>
      Promise.all(
        row.map(async (img) => {
          const { data, info } = await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } })
            .resize({ height: PANEL_HEIGHT })
            .png()
            .toBuffer({ resolveWithObject: true });
          return { data, width: info.width };
        }),
      ),
    ),
  );
  const width = Math.max(...panels.map((row) => row.reduce((w, p) => w + p.width, 0) + gap * (row.length - 1)));
  const height = rows.length * PANEL_HEIGHT + gap * (rows.length - 1);
  const composites = panels.flatMap((row, r) => {
    let left = 0;
    return row.map((p) => {
      const at = { input: p.data, left, top: r * (PANEL_HEIGHT + gap) };
      left += p.width + gap;
      return at;
    });
  });
  await sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(composites).jpeg({ quality: 82 }).toFile(file);
}

export function scheduleTables(r: ScheduleSection): Table[] {
  const rows = r.pairs.flatMap((p) =>
    [p.fixed, p.auto].map((run) => [
      `${p.content} × ${p.style}`,
      run.schedule,
      run.seconds,
      run.cpuSeconds,
      run.estimateSeconds,
      run.firstPreviewSeconds,
      run.evaluations,
      run.finalSizeEquivalentEvaluations,
      run.loss,
      run.schedule === 'auto' ? run.loss / p.fixed.loss : 1,
      run.scales,
      run.load,
    ]),
  );
  return [
    {
      title: `Fixed (one scale, 200 evaluations) against auto (the default schedule) at ${r.size} px`,
      notes: [
        `real VGG16 blocks 1–3, content block2_conv2, style ${BLOCK3_STYLE_LAYERS.join(',')}, scale-invariant defaults, L-BFGS, init content, seed ${SEED}, ${r.backend}; one engine, runs in turn`,
        'loss: the result’s, at the final size under its objective; final-size evals: evaluations weighted by their pixels over the final size’s',
        'estimate: before the run, calibrated ms per evaluation of each scale × its budget (auto: an upper bound, the plateau rule ends scales sooner)',
        `scales: longest side:evaluations (and why a scale ended, where not its budget); images: ${r.comparisonImage}`,
      ],
      columns: ['pair', 'schedule', 'seconds', 'CPU s', 'estimate s', 'first preview s', 'evaluations', 'final-size evals', 'loss', 'loss / fixed', 'scales', 'load average (1, 5, 15 min)'],
      rows,
    },
  ];
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  runScheduleSection({ size: Number(args.get('size') ?? 512), pairs: Number(args.get('pairs') ?? SCHEDULE_PAIRS.length), backend: String(args.get('backend') ?? 'auto') as NodeBackendName | 'auto' }).then(
    (r) => {
      for (const t of scheduleTables(r)) printTable(t);
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
