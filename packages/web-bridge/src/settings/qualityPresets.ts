import type { StylizeOptions } from '@pastiche/core';

export type QualityPresetName = 'preview' | 'standard' | 'high';

/**
 * What each quality button means, the same in the Figma and the Photopea plugin so that a setting gives the
 * same picture in both editors. Bigger outputs run coarse-to-fine: the cheap small scales settle the composition so that the expensive last scale needs fewer evaluations.
 */
export const QUALITY_PRESETS: Record<QualityPresetName, { label: string; options: StylizeOptions & { size: number } }> = {
  preview: { label: 'Preview', options: { size: 256, scales: 1, evaluations: 60 } },
  standard: { label: 'Standard', options: { size: 512, scales: 2, evaluations: [60, 80] } },
  high: { label: 'High', options: { size: 1024, scales: 3, evaluations: [60, 80, 100] } },
};
