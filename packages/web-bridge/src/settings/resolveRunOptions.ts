import type { StylizeOptions } from '@pastiche/core';
import { QUALITY_PRESETS, type QualityPresetName } from './qualityPresets.ts';

/** The part of a plugin's settings that decides what a run paints. */
export interface RunSettings {
  preset: QualityPresetName;
  /** Core options the user set in Advanced; they override the preset's. */
  advanced: StylizeOptions;
}

/**
 * The options of one run: the preset's, then the advanced fields the user set. A preset's per-scale
 * budgets no longer fit when Advanced changes the number of scales, so they are spread again.
 */
export function resolveRunOptions(settings: RunSettings): StylizeOptions & { size: number } {
  const options = { ...QUALITY_PRESETS[settings.preset].options, ...settings.advanced };
  const scales = options.scales ?? 1;
  if (settings.advanced.evaluations === undefined && Array.isArray(options.evaluations) && options.evaluations.length !== scales) {
    const total = options.evaluations.reduce((a, b) => a + b, 0);
    options.evaluations = Math.max(1, Math.round(total / scales));
  }
  return options;
}
