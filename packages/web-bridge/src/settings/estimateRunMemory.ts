import { formatBytes, planScales, scaleSizes, validateOptions, type StylizeOptions } from '@pastiche/core';
import { resolveRunOptions, type RunSettings } from './resolveRunOptions.ts';

/** The in-page engine's memory: the wasm heap's 4 GiB (WebGPU and WebGL hold less per buffer, not in all). */
export const IN_PAGE_MEMORY_BYTES = 4 * 2 ** 30;
/** Sizes offered instead of one that does not fit are multiples of this. */
const SIZE_STEP = 64;

export type RunMemoryEstimate =
  /** `tiles`: how many tiles the largest scale goes in (1: none). */
  | { fits: true; peakBytes: number; size: number; tiles: number }
  /** Too large for the page's memory even in tiles; `largestSize` is the largest side that fits (a multiple of 64). */
  | { fits: false; size: number; largestSize: number }
  /** The settings themselves are wrong (Advanced marks the field); no estimate. */
  | { fits: 'unknown' };

/**
 * What a run of these settings holds at its peak in the page (square content, the worst case), whether its
 * largest scale goes in tiles, and, when it cannot fit at all, the largest size that does: shown next to the
 * size, before anything runs, and used to keep Stylize from starting a run that cannot finish in the page.
 */
export function estimateRunMemory(settings: RunSettings): RunMemoryEstimate {
  // The panels ask on every redraw, twice (Quality and Stylize); settings are replaced, never changed in place.
  if (last?.settings !== settings) last = { settings, estimate: estimate(settings) };
  return last.estimate;
}

let last: { settings: RunSettings; estimate: RunMemoryEstimate } | undefined;

function estimate(settings: RunSettings): RunMemoryEstimate {
  const options = resolveRunOptions(settings);
  const size = options.size ?? 0;
  const peak = planPeak(options);
  if (peak) return { fits: true, size, ...peak };
  if (!planPeak({ ...options, size: SIZE_STEP })) return { fits: 'unknown' };
  let [fits, tooLarge] = [SIZE_STEP, size];
  while (tooLarge - fits > SIZE_STEP) {
    const middle = Math.round((fits + tooLarge) / 2 / SIZE_STEP) * SIZE_STEP;
    if (planPeak({ ...options, size: middle })) fits = middle;
    else tooLarge = middle;
  }
  return { fits: false, size, largestSize: fits };
}

/** The estimate in a sentence; `here` names the page as the host says it ('the plugin', 'this panel'). */
export function describeRunMemory(estimate: RunMemoryEstimate, here: string): string {
  if (estimate.fits === 'unknown') return '';
  if (estimate.fits) return `About ${formatBytes(estimate.peakBytes)} of memory in ${here}${estimate.tiles > 1 ? `, the ${estimate.size} px scale in ${estimate.tiles} tiles` : ''}.`;
  return `${estimate.size} px is too large for the memory of ${here}: up to ${estimate.largestSize} px fits. The runner has more room.`;
}

/** The planner's peak for these options, or undefined where they cannot run in the page's memory (or at all). */
function planPeak(raw: StylizeOptions): { peakBytes: number; tiles: number } | undefined {
  try {
    const options = validateOptions(raw);
    const plans = planScales(options, scaleSizes(options.size, options.size, options.scaleSides), { memoryBytes: IN_PAGE_MEMORY_BYTES });
    return { peakBytes: Math.max(...plans.map((p) => p.peakBytes)), tiles: plans[plans.length - 1].tiles };
  } catch {
    return undefined;
  }
}
