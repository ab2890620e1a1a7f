import { formatBytes, planScales, scaleSizes, validateOptions } from '@pastiche/core';
import { resolveRunOptions, type RunSettings } from './resolveRunOptions.ts';

/** The in-page engine's memory: the wasm heap's 4 GiB (WebGPU and WebGL hold less per buffer, not in all). */
const IN_PAGE_MEMORY_BYTES = 4 * 2 ** 30;

/**
 * What a run of these settings holds at its peak in the page (square content, the worst case), and whether
 * its largest scale goes in tiles: shown next to the size, before anything runs.
 */
export function estimateRunMemory(settings: RunSettings): string {
  try {
    const options = validateOptions(resolveRunOptions(settings));
    const plans = planScales(options, scaleSizes(options.size, options.size, options.scaleSides), { memoryBytes: IN_PAGE_MEMORY_BYTES });
    const peak = Math.max(...plans.map((p) => p.peakBytes));
    const tiles = plans[plans.length - 1].tiles;
    return `About ${formatBytes(peak)} of memory in the plugin${tiles > 1 ? `, the ${options.size} px scale in ${tiles} tiles` : ''}.`;
  } catch (error) {
    return `${(error as Error).message.replace(/^options\.maxMemory: /, '')}; the runner has more room.`;
  }
}
