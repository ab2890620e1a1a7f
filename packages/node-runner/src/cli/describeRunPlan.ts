import { calibrateEngine, estimateScheduleTime, formatBytes, planScales, scaleSizes, sideMultiple, type Engine, type ResolvedOptions } from '@pastiche/core';
import { formatDuration } from './formatting.ts';

/**
 * The plan of a run, before it starts: each scale's size, tiles, L-BFGS pairs, estimated peak memory and
 * time per evaluation (from evaluations timed on this engine at 256 px, with what a run adds: estimateScheduleTime).
 */
export async function describeRunPlan(engine: Engine, options: ResolvedOptions, height: number, width: number): Promise<string> {
  const sizes = scaleSizes(height, width, options.scaleSides, sideMultiple(options));
  const plans = planScales(options, sizes, engine.limits);
  const calibration = await calibrateEngine(engine, options, Math.min(256, options.size));
  const time = estimateScheduleTime(options, plans, calibration);
  const budget = options.maxMemory ?? engine.limits.memoryBytes;
  const rows = plans.map((p, i) => [
    String(i + 1),
    `${p.width}×${p.height}`,
    p.tileInterior === undefined ? 'untiled' : `${p.tiles} of ${p.tileInterior.width}×${p.tileInterior.height} px${p.contentPerTile ? ', content per tile' : ''}`,
    options.optimizer === 'adam' ? 'adam' : String(p.lbfgsHistory),
    formatBytes(p.peakBytes),
    `≈ ${formatDuration(time.perScaleMs[i] / options.evaluations[i])}`,
    String(options.evaluations[i]),
  ]);
  const header = ['scale', 'size', 'tiles', 'L-BFGS pairs', 'peak memory', 'per evaluation', 'evaluations'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [
    `plan on ${engine.name}, memory budget ${budget === undefined ? 'unlimited' : formatBytes(budget)}${options.maxMemory === undefined ? ' (the engine’s; --max-memory sets it)' : ''}:`,
    line(header),
    ...rows.map(line),
    `${time.upperBound ? 'at most ' : ''}about ${formatDuration(time.ms)} in all if every scale spends its budget${time.upperBound ? ' (a scale ends sooner once its loss stops falling)' : ''} (an evaluation timed at ${Math.min(256, options.size)} px: ${(calibration.msPerPixel * 1e6).toFixed(0)} ms per megapixel)`,
  ].join('\n');
}
