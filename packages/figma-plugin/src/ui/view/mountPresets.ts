import { QUALITY_PRESETS, type QualityPresetName } from '../../settings/qualityPresets.ts';
import type { Store } from '../state/createStore.ts';
import type { UiState } from '../state/UiState.ts';
import { h } from './h.ts';

/** Quality: three buttons, each with the output size it gives, like Figma's segmented controls. */
export function mountPresets(root: HTMLElement, store: Store<UiState>): void {
  const names = Object.keys(QUALITY_PRESETS) as QualityPresetName[];
  const buttons = names.map((name) =>
    h('button', {
      class: 'segment', role: 'radio', dataset: { preset: name },
      onclick: () => store.update((s) => ({ settings: { ...s.settings, preset: name } })),
    },
      h('span', { class: 'segment-label' }, QUALITY_PRESETS[name].label),
      h('span', { class: 'segment-sub' }, `${QUALITY_PRESETS[name].options.size} px`)));
  const note = h('p', { class: 'hint' });
  root.replaceChildren(h('div', { class: 'section-header' }, h('h2', null, 'Quality')), h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Quality' }, ...buttons), note);

  const draw = (state: UiState) => {
    for (const [i, button] of buttons.entries()) button.setAttribute('aria-checked', String(names[i] === state.settings.preset));
    const overridden = state.settings.advanced.size;
    note.textContent = overridden ? `Size set to ${overridden} px in Advanced.` : '';
    note.hidden = !overridden;
  };
  store.subscribe(draw);
  draw(store.get());
}
