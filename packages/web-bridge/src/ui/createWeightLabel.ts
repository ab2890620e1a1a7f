import { h } from './h.ts';

/** A style's share of the blend, "37%"; showWeightPercentages finds it by `key` to update it in place. */
export function createWeightLabel(key: string, percentage: number): HTMLSpanElement {
  return h('span', { class: 'weight-value', dataset: { weightFor: key } }, `${percentage}%`);
}
