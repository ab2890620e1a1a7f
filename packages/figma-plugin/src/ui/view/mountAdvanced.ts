import { createAdvancedFields, h, type Store } from '@pastiche/web-bridge/ui';
import { DEFAULT_SETTINGS } from '../../settings/defaultSettings.ts';
import type { UiState } from '../state/UiState.ts';
import { chevronIcon } from './icons.ts';

/**
 * Advanced, a <details> folded by default: web-bridge's fields (each checked as it is typed), how many
 * differ from the defaults, and a reset that keeps the quality and the engine.
 */
export function mountAdvanced(root: HTMLElement, store: Store<UiState>): void {
  const fields = createAdvancedFields(store, DEFAULT_SETTINGS, (field, problem) => `${field.key}: ${problem}`);
  const reset = h('button', { class: 'link', onclick: () => store.update((s) => ({ settings: { ...DEFAULT_SETTINGS, preset: s.settings.preset, engine: s.settings.engine }, fieldProblems: {} })) }, 'Reset to defaults');
  const count = h('span', { class: 'section-note' });
  root.replaceChildren(h('details', { class: 'advanced' },
    h('summary', null, chevronIcon(), h('h2', null, 'Advanced'), count),
    h('div', { class: 'fields' }, ...fields),
    h('div', { class: 'row-end' }, reset)));

  const draw = ({ settings }: UiState) => {
    const changed = Object.keys(settings.advanced).length + (settings.weightsUrl ? 1 : 0) + (settings.runnerUrl !== DEFAULT_SETTINGS.runnerUrl ? 1 : 0);
    count.textContent = changed ? `${changed} changed` : '';
  };
  store.subscribe(draw);
  draw(store.get());
}
