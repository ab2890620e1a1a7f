import { validateOptions } from '@pastiche/core';
import { defaultSettings, isHttpUrl, type PhotopeaSettings } from '../settings/PhotopeaSettings.ts';
import { resolveRunOptions } from '@pastiche/web-bridge/settings';
import { ADVANCED_FIELDS, type AdvancedField, createFieldInput, h, parseFieldText, showFieldValue, type Store, withFieldValue } from '@pastiche/web-bridge/ui';
import { chevronIcon } from './icons.ts';
import type { PanelState } from './PanelState.ts';

/**
 * Advanced, folded by default: every option worth exposing, each checked as it is typed with the core's
 * own validation (the same the runner applies). A valid value is saved at once; an invalid one stays in its
 * field, marked, with what is allowed, and is never saved.
 */
export function mountAdvanced(root: HTMLElement, store: Store<PanelState>): void {
  const inputs = new Map<AdvancedField, HTMLInputElement | HTMLSelectElement>();
  const problems = new Map<AdvancedField, HTMLElement>();

  const commit = (field: AdvancedField, input: HTMLInputElement | HTMLSelectElement) => {
    const value = parseFieldText(field.kind, input.value, (input as HTMLInputElement).checked);
    store.update((state) => {
      const fieldProblems = { ...state.fieldProblems };
      delete fieldProblems[field.key];
      const settings = withFieldValue(state.settings, field, value);
      const problem = checkSettings(field, value, settings);
      if (problem) return { fieldProblems: { ...fieldProblems, [field.key]: problem } };
      return { fieldProblems, settings };
    });
  };

  const fields = ADVANCED_FIELDS.map((field) => {
    const { element, input, problem } = createFieldInput(field, defaultSettings(), () => commit(field, input));
    inputs.set(field, input);
    problems.set(field, problem);
    return element;
  });

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
    for (const [field, input] of inputs) {
      const problem = state.fieldProblems[field.key];
      if (!problem && document.activeElement !== input) showFieldValue(field, input, state.settings);
      input.classList.toggle('invalid', Boolean(problem));
      if ('placeholder' in input) input.placeholder = field.placeholder(state.settings);
      const line = problems.get(field)!;
      line.textContent = problem ?? '';
      line.hidden = !problem;
    }
  };
  store.subscribe(draw);
  draw(store.get());
}

/** What is wrong with the field's new value, checked with everything else the run would use; undefined if fine. */
function checkSettings(field: AdvancedField, value: unknown, settings: PhotopeaSettings): string | undefined {
  if (field.kind === 'url') return value === undefined || isHttpUrl(value) ? undefined : 'expected an address starting with http:// or https://';
  try {
    validateOptions(resolveRunOptions(settings));
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^options\.\w+: /, '').replace(/, got NaN$/, '');
  }
}
