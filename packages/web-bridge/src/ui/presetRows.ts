import { findStylePreset } from '../presets/stylePresets.ts';
import type { Store } from './createStore.ts';
import { createWeightLabel } from './createWeightLabel.ts';
import { createWeightSlider } from './createWeightSlider.ts';
import { h } from './h.ts';
import type { PresetChoice, PresetImages } from './mountPresetStrip.ts';

/** The key a preset's percentage label carries in a layer list (showWeightPercentages). */
export const presetWeightKey = (id: string) => `preset:${id}`;

/**
 * The layer list's rows of the presets added to the run, styles like the layers above them: the picture,
 * the title and credit, the blend weight (when there are several styles) and a button that takes it out.
 * `percentages`: each preset's share of the blend, in order. The weight and the button change the store's presets.
 */
export function presetRows(presets: readonly PresetChoice[], store: Store<{ presets: PresetChoice[] }>, images: PresetImages, percentages: number[], showWeights: boolean): HTMLElement[] {
  const setWeight = (id: string, weight: number) => store.update((state) => ({ presets: state.presets.map((p) => (p.id === id ? { ...p, weight } : p)) }));
  const remove = (id: string) => store.update((state) => ({ presets: state.presets.filter((p) => p.id !== id) }));
  return presets.map((choice, i) => {
    const preset = findStylePreset(choice.id)!;
    return h('li', { class: 'layer layer-style layer-preset', dataset: { stylePreset: preset.id, role: 'style' } },
      h('div', { class: 'thumb' }, h('img', { src: images[preset.id], alt: '' })),
      h('div', { class: 'layer-main' },
        h('div', { class: 'layer-title' },
          h('span', { class: 'layer-name', title: preset.title }, preset.title),
          showWeights ? createWeightLabel(presetWeightKey(preset.id), percentages[i]) : null),
        h('div', { class: 'layer-meta' }, `Preset · ${preset.artist}, ${preset.year} · ${preset.licence}`),
        showWeights ? createWeightSlider(choice.weight, 'Blend weight', (weight) => setWeight(preset.id, weight)) : null),
      h('div', { class: 'layer-actions' },
        h('button', { class: 'icon-button', title: 'Leave out of this run', 'aria-label': `Leave ${preset.title} out`, dataset: { action: 'remove-preset' }, onclick: () => remove(preset.id) }, '×')));
  });
}
