import { defaultSettings } from '../settings/PhotopeaSettings.ts';
import { createAdvancedFields, h, type Store } from '@pastiche/web-bridge/ui';
import { chevronIcon } from './icons.ts';
import type { PanelState } from './PanelState.ts';

/**
 * Advanced, folded by default behind a disclosure button: web-bridge's fields (each checked as it is
 * typed), how many are set, and a reset of the run's options.
 */
export function mountAdvanced(root: HTMLElement, store: Store<PanelState>): void {
  const fields = createAdvancedFields(store, defaultSettings());
  const toggle = h('button', { class: 'disclosure', 'aria-expanded': 'false', onclick: () => store.update((s) => ({ advancedOpen: !s.advancedOpen })) }, chevronIcon(), h('span', null, 'Advanced'));
  const count = h('span', { class: 'section-note' });
  const reset = h('button', { class: 'link', onclick: () => store.update((s) => ({ fieldProblems: {}, settings: { ...s.settings, advanced: {} } })) }, 'Reset');
  const grid = h('div', { class: 'fields' }, ...fields, h('div', { class: 'field-wide fields-foot' }, reset));
  root.replaceChildren(h('div', { class: 'section-header' }, toggle, count), grid);

  const draw = (state: PanelState) => {
    toggle.setAttribute('aria-expanded', String(state.advancedOpen));
    grid.hidden = !state.advancedOpen;
    const changed = Object.keys(state.settings.advanced).length;
    count.textContent = changed ? `${changed} changed` : '';
  };
  store.subscribe(draw);
  draw(store.get());
}
