import { estimateScheduleTime, planScales, scaleSizes, validateOptions, type EngineLimits, type EvaluationCalibration, type ScheduleTime } from '@pastiche/core';
import { formatDuration } from '../ui/formatDuration.ts';
import { IN_PAGE_MEMORY_BYTES } from './estimateRunMemory.ts';
import { resolveRunOptions, type RunSettings } from './resolveRunOptions.ts';

/**
 * The whole schedule's time for these settings on an engine of this calibration (the core's
 * estimateScheduleTime, as `pastiche stylize --dry-run` prices it), square content as the memory estimate
 * assumes; undefined where the settings cannot be planned (Advanced marks the field, or the memory estimate
 * says what does not fit). `limits`: the page's memory for the in-page engine; none for the runner, whose
 * budget the panels do not know (a run it would tile takes longer than this says).
 */
export function estimateRunTime(settings: RunSettings, calibration: EvaluationCalibration, limits: EngineLimits = {}): ScheduleTime | undefined {
  try {
    const options = validateOptions(resolveRunOptions(settings));
    const plans = planScales(options, scaleSizes(options.size, options.size, options.scaleSides), limits);
    return estimateScheduleTime(options, plans, calibration);
  } catch {
    return undefined;
  }
}

export const IN_PAGE_LIMITS: EngineLimits = { memoryBytes: IN_PAGE_MEMORY_BYTES };

/** While the page's engine has no speed yet: it is being timed, or its timing waits for a run to end (InPageEngine.calibrate). */
export type InPageTiming = 'measuring' | 'after-run';

/**
 * The estimates in a sentence: "At most about 40 s in the plugin, 8 s on the runner." (at most: a scale
 * ends sooner once its loss stops falling). `here` names the page ('the plugin'); 'measuring' while the page's
 * engine times itself, 'after-run' while that waits for a run. Empty when there is nothing to say.
 */
export function describeRunTime(times: { inPage?: ScheduleTime | InPageTiming; runner?: ScheduleTime }, here: string): string {
  const parts: string[] = [];
  const upperBound = [times.inPage, times.runner].some((t) => typeof t === 'object' && t.upperBound);
  if (typeof times.inPage === 'object') parts.push(`${formatDuration(times.inPage.ms)} in ${here}`);
  if (times.runner) parts.push(`${formatDuration(times.runner.ms)} on the runner`);
  const measuring = times.inPage === 'measuring' ? `Timing ${here}’s engine…` : times.inPage === 'after-run' ? `Timing ${here}’s engine after this run.` : '';
  if (parts.length === 0) return measuring;
  return `${upperBound ? 'At most about' : 'About'} ${parts.join(', ')}.${measuring && ` ${measuring}`}`;
}
