// Section "schedule": the fixed schedule (one scale, 200 evaluations) against the auto schedule (the
// default) on three content × style pairs, one engine in this process: the real VGG16 blocks 1–3 weights and
// their layers, or (--depth full) the default layers to block5_conv3 on the seeded synthetic weights. Prints
// time, evaluations, final-size-equivalent evaluations, the final loss (both at the final size, under its
// objective), the time to the first preview, and the estimate before the run (calibrated, every scale
// spending its budget: an upper bound) against the actual time. Writes per pair content | fixed | auto to
// bench/results/schedule-comparison-*.jpg, and the pairs whose photograph may ship to docs/schedule-comparison.jpg.
//
//   node --import tsx bench/scheduleSection.ts [--size 512] [--pairs 3] [--backend auto] [--depth blocks3|full]
import { mkdir } from 'node:fs/promises';
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
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, ensureSyntheticWeights, folderSource, IMAGES_DIR, loadAverage, log, parseArgs, REAL_WEIGHTS_DIR, REPO_DIR, RESULTS_DIR, round, runAsScript } from './common.ts';
import { printTable, type Table } from './printTable.ts';

/** Three photographs, each with a painting. */
export const SCHEDULE_PAIRS: Array<[content: string, style: string]> = [
  ['tubingen.jpg', 'starry_night.jpg'],
  ['chelsea.png', 'woman_with_hat.jpg'],
  ['coffee.png', 'the_scream.jpg'],
];
/** ../shared/images/SOURCES.md: Tübingen's photograph (CC BY 3.0) may not ship, so it stays out of docs/. */
const NOT_SHIPPABLE = new Set(['tubingen.jpg']);
const SEED = 42;
const COMPARISON_FILE = path.join(REPO_DIR, 'docs', 'schedule-comparison.jpg');
/** blocks3: the real weights (all this environment has) and their layers; full: the product's default layers on synthetic weights of the real shapes. */
export type ScheduleDepth = 'blocks3' | 'full';
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
  depth: ScheduleDepth;
  backend: string;
  pairs: Array<{ content: string; style: string; fixed: ScheduleRun; auto: ScheduleRun }>;
  comparisonImage: string;
}

export async function runScheduleSection(config: { size: number; pairs: number; backend: NodeBackendName | 'auto'; depth?: ScheduleDepth }): Promise<ScheduleSection> {
  const depth = config.depth ?? 'blocks3';
  const { name: backend, createEngine } = await selectBackend(config.backend);
  const weights = depth === 'full' ? await ensureSyntheticWeights() : REAL_WEIGHTS_DIR;
  const pastiche = createPastiche({ weights: { vgg16: folderSource(weights) }, createEngine });
  const engine = await pastiche.loadModel('vgg16');
  const layers = depth === 'full' ? {} : { contentLayers: CONTENT_LAYERS, styleLayers: BLOCK3_STYLE_LAYERS };
  const allPairsFile = path.join(RESULTS_DIR, `schedule-comparison-${depth}.jpg`);
  const pairs: ScheduleSection['pairs'] = [];
  const rows: Array<{ shippable: boolean; images: RgbaImage[] }> = [];
  try {
    for (const [contentFile, styleFile] of SCHEDULE_PAIRS.slice(0, config.pairs)) {
      const content = await readImageFile(path.join(IMAGES_DIR, contentFile), 'content', config.size);
      const style = await readImageFile(path.join(IMAGES_DIR, styleFile), 'style', config.size);
      const base: StylizeOptions = { size: config.size, ...layers, seed: SEED };
      const fixed = await timedRun(engine, content, style, { ...base, schedule: 'fixed' }, `${contentFile} × ${styleFile}, fixed`);
      const auto = await timedRun(engine, content, style, base, `${contentFile} × ${styleFile}, auto`);
      pairs.push({ content: contentFile, style: styleFile, fixed: fixed.run, auto: auto.run });
      rows.push({ shippable: !NOT_SHIPPABLE.has(contentFile), images: [content, fixed.image, auto.image] });
      // After each pair, so that an interrupted run still leaves what it measured.
      await writeComparison(rows.map((r) => r.images), allPairsFile);
      const shippable = rows.filter((r) => r.shippable).map((r) => r.images);
      if (depth === 'blocks3' && shippable.length > 0) await writeComparison(shippable, COMPARISON_FILE);
      log(`schedule: ${JSON.stringify(pairs[pairs.length - 1])}`);
    }
  } finally {
    pastiche.dispose();
  }
  return { size: config.size, depth, backend, pairs, comparisonImage: path.relative(REPO_DIR, allPairsFile) };
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
  await mkdir(path.dirname(file), { recursive: true });
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
        `${r.depth === 'full' ? 'synthetic VGG16 of the real shapes (seeded), the default layers (style to block5_conv3)' : `real VGG16 blocks 1–3, content ${CONTENT_LAYERS.join(',')}, style ${BLOCK3_STYLE_LAYERS.join(',')}`}, scale-invariant defaults, L-BFGS, init content, seed ${SEED}, ${r.backend}; one engine, runs in turn`,
        'loss: the result’s, at the final size under its objective; final-size evals: evaluations weighted by their pixels over the final size’s',
        'estimate: before the run, calibrated ms per evaluation of each scale × its budget (auto: an upper bound, the plateau rule ends scales sooner)',
        `scales: longest side:evaluations (and why a scale ended, where not its budget); images: ${r.comparisonImage}`,
      ],
      columns: ['pair', 'schedule', 'seconds', 'CPU s', 'estimate s', 'first preview s', 'evaluations', 'final-size evals', 'loss', 'loss / fixed', 'scales', 'load average (1, 5, 15 min)'],
      rows,
    },
  ];
}

runAsScript(import.meta.url, async () => {
  const args = parseArgs(process.argv.slice(2));
  const depth = String(args.get('depth') ?? 'blocks3');
  if (depth !== 'blocks3' && depth !== 'full') throw new Error(`--depth must be blocks3 or full, got ${depth}`);
  const r = await runScheduleSection({ size: Number(args.get('size') ?? 512), pairs: Number(args.get('pairs') ?? SCHEDULE_PAIRS.length), backend: String(args.get('backend') ?? 'auto') as NodeBackendName | 'auto', depth });
  for (const t of scheduleTables(r)) printTable(t);
  console.log(JSON.stringify(r));
});
