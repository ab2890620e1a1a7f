import type { StylizeOptions } from '@pastiche/core';
import { QUALITY_PRESETS, type QualityPresetName } from './qualityPresets.ts';

/** The part of a plugin's settings that decides what a run paints. */
export interface RunSettings {
  preset: QualityPresetName;
  /** Core options the user set in Advanced; they override the preset's. */
  advanced: StylizeOptions;
}

/**
 * The options of one run: the preset's, then the advanced fields the user set (evaluations or scales set
 * there mean exactly what they say: the core's fixed schedule, in place of the preset's schedule). A content
 * weight of 0 keeps nothing of the content: the panels then paint a texture from the styles alone, started
 * from noise as the CLI's --texture does (Gatys et al. 2015), the content layer giving only the size; with
 * Pattern on, a tileable one.
 */
export function resolveRunOptions(settings: RunSettings): StylizeOptions & { size: number } {
  const { schedule, ...preset } = QUALITY_PRESETS[settings.preset].options;
  const fixedAsked = settings.advanced.evaluations !== undefined || settings.advanced.scales !== undefined;
  const options = { ...preset, ...(schedule && !fixedAsked && { schedule }), ...settings.advanced };
  return options.contentWeight === 0 && options.init === undefined ? { ...options, init: 'random' } : options;
}
