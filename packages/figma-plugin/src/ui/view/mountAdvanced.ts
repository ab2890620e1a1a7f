import { StylizeOptionsSchema } from '@pastiche/core';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ADVANCED_FIELDS, createFieldInput, h, parseFieldText, showFieldValue, withFieldValue, type AdvancedField, type Store } from '@pastiche/web-bridge/ui';
import { DEFAULT_SETTINGS } from '../../settings/defaultSettings.ts';
import { PluginSettingsSchema } from '../../settings/pluginSettingsSchema.ts';
import type { UiState } from '../state/UiState.ts';
import { describeAllowed } from './describeAllowed.ts';
import { chevronIcon } from './icons.ts';

/**
 * Advanced: every core option worth exposing, each checked on input against the same schema the core
 * and the runner use. A valid value is saved at once; an invalid one stays in its field, marked, with
 * what is allowed, and is never saved (the run refuses to start until it is fixed).
 */
export function mountAdvanced(root: HTMLElement, store: Store<UiState>): void {
  const inputs = new Map<AdvancedField, HTMLInputElement | HTMLSelectElement>();
  const problems = new Map<AdvancedField, HTMLElement>();

  const commit = (field: AdvancedField, input: HTMLInputElement | HTMLSelectElement) => {
    const value = parseFieldText(field.kind, input.value, (input as HTMLInputElement).checked);
    const schema = schemaOf(field);
    const ok = value === undefined || Value.Check(schema, value);
    store.update((state) => {
      const fieldProblems = { ...state.fieldProblems };
      delete fieldProblems[field.key];
      if (!ok) {
        fieldProblems[field.key] = field.kind === 'url' ? 'expected an address starting with http:// or https://' : `expected ${describeAllowed(schema)}`;
        return { fieldProblems };
      }
      return { fieldProblems, settings: withFieldValue(state.settings, field, value) };
    });
  };

  const fields = ADVANCED_FIELDS.map((field) => {
    const { element, input, problem } = createFieldInput(field, DEFAULT_SETTINGS, () => commit(field, input));
    inputs.set(field, input);
    problems.set(field, problem);
    return element;
  });

  const reset = h('button', { class: 'link', onclick: () => store.update((s) => ({ settings: { ...DEFAULT_SETTINGS, preset: s.settings.preset, engine: s.settings.engine }, fieldProblems: {} })) }, 'Reset to defaults');
  const count = h('span', { class: 'section-note' });
  const details = h('details', { class: 'advanced' },
    h('summary', null, chevronIcon(), h('h2', null, 'Advanced'), count),
    h('div', { class: 'fields' }, ...fields),
    h('div', { class: 'row-end' }, reset));
  root.replaceChildren(details);

  const draw = (state: UiState) => {
    const changed = Object.keys(state.settings.advanced).length + (state.settings.weightsUrl ? 1 : 0) + (state.settings.runnerUrl !== DEFAULT_SETTINGS.runnerUrl ? 1 : 0);
    count.textContent = changed ? `${changed} changed` : '';
    for (const [field, input] of inputs) {
      const problem = state.fieldProblems[field.key];
      problems.get(field)!.textContent = problem ? `${field.key}: ${problem}` : '';
      problems.get(field)!.hidden = !problem;
      input.classList.toggle('invalid', Boolean(problem));
      input.setAttribute('aria-invalid', String(Boolean(problem)));
      if ('placeholder' in input) input.placeholder = field.placeholder(state.settings);
      if (document.activeElement !== input && !problem) showFieldValue(field, input, state.settings); // never rewrite what the user is typing
    }
  };
  store.subscribe(draw);
  draw(store.get());
}

function schemaOf(field: AdvancedField): TSchema {
  if (field.key === 'runnerUrl' || field.key === 'weightsUrl') {
    return PluginSettingsSchema.properties.runnerUrl;
  }
  return StylizeOptionsSchema.properties[field.key];
}
