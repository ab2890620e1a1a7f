import type { StylizeOptions } from '@pastiche/core';

export type QualityPresetName = 'preview' | 'standard' | 'high';

/**
 * What each quality button means, the same in the Figma and the Photopea plugin so that a setting gives the
 * same picture in both editors: a size, painted by the core's auto schedule (coarse to fine from about
 * 128 px, each scale ending once its loss stops falling; see packages/core/src/plan/planSchedule.ts).
 * Preview takes the preview schedule: the same scales with a short last one, most of its work at 128 px
 * (docs/schedule.md, "Preview").
 */
export const QUALITY_PRESETS: Record<QualityPresetName, { label: string; options: StylizeOptions & { size: number } }> = {
  preview: { label: 'Preview', options: { size: 256, schedule: 'preview' } },
  standard: { label: 'Standard', options: { size: 512 } },
  high: { label: 'High', options: { size: 1024 } },
};
