import { QUALITY_PRESETS, type QualityPresetName } from '../settings/qualityPresets.ts';
import type { RunSettings } from '../settings/resolveRunOptions.ts';
import { estimateRunMemory } from '../settings/estimateRunMemory.ts';
import type { Store } from './createStore.ts';
import { h } from './h.ts';

/** Quality: three buttons, each with the output size it gives, a note when Advanced sets the size, and the memory the run takes. */
export function mountQuality<S extends { settings: RunSettings }>(root: HTMLElement, store: Store<S>): void {
  const names = Object.keys(QUALITY_PRESETS) as QualityPresetName[];
  const buttons = names.map((name) =>
    h('button', { class: 'segment', role: 'radio', dataset: { preset: name }, onclick: () => store.update((s) => ({ settings: { ...s.settings, preset: name } }) as Partial<S>) },
      h('span', { class: 'segment-label' }, QUALITY_PRESETS[name].label),
      h('span', { class: 'segment-sub' }, `${QUALITY_PRESETS[name].options.size} px`)));
  const note = h('p', { class: 'hint' });
  const memory = h('p', { class: 'hint', dataset: { role: 'memory-estimate' } });
  root.replaceChildren(h('div', { class: 'section-header' }, h('h2', null, 'Quality')), h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Quality' }, ...buttons), note, memory);

  const draw = (state: S) => {
    for (const [i, button] of buttons.entries()) button.setAttribute('aria-checked', String(names[i] === state.settings.preset));
    const size = state.settings.advanced.size;
    note.textContent = size ? `Size set to ${size} px in Advanced.` : '';
    note.hidden = !size;
    memory.textContent = estimateRunMemory(state.settings);
  };
  store.subscribe(draw);
  draw(store.get());
}
