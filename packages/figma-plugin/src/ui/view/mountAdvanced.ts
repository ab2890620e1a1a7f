import { StylizeOptionsSchema } from '@pastiche/core';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DEFAULT_SETTINGS } from '../../settings/defaultSettings.ts';
import { PluginSettingsSchema, type PluginSettings } from '../../settings/pluginSettingsSchema.ts';
import type { Store } from '../state/createStore.ts';
import type { UiState } from '../state/UiState.ts';
import { ADVANCED_FIELDS, type AdvancedField } from './advancedFields.ts';
import { describeAllowed } from './describeAllowed.ts';
import { h } from './h.ts';
import { chevronIcon } from './icons.ts';
import { parseFieldText } from './parseFieldText.ts';

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
      return { fieldProblems, settings: withField(state.settings, field, value) };
    });
  };

  const fields = ADVANCED_FIELDS.map((field) => {
    const id = `advanced-${field.key}`;
    const input =
      field.kind === 'select'
        ? h('select', { id, class: 'input' }, h('option', { value: '' }, `Default (${field.placeholder(DEFAULT_SETTINGS)})`), ...field.options!.map((o) => h('option', { value: o }, o)))
        : h('input', { id, class: field.kind === 'checkbox' ? 'checkbox' : 'input', type: field.kind === 'checkbox' ? 'checkbox' : 'text', spellcheck: false, autocomplete: 'off' });
    input.dataset.field = field.key;
    input.addEventListener(field.kind === 'checkbox' || field.kind === 'select' ? 'change' : 'input', () => commit(field, input));
    const problem = h('p', { class: 'field-problem', hidden: true });
    inputs.set(field, input);
    problems.set(field, problem);
    return field.kind === 'checkbox'
      ? h('label', { class: 'field field-wide field-checkbox', for: id }, input, h('span', null, field.label))
      : h('div', { class: `field${field.wide ? ' field-wide' : ''}` }, h('label', { for: id }, field.label), input, problem);
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
      if (document.activeElement === input || problem) continue; // never rewrite what the user is typing
      const value = valueOf(state.settings, field);
      if (field.kind === 'checkbox') (input as HTMLInputElement).checked = value === true;
      else input.value = value === undefined || (field.key === 'runnerUrl' && value === DEFAULT_SETTINGS.runnerUrl) ? '' : Array.isArray(value) ? value.join(', ') : String(value);
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

function valueOf(settings: PluginSettings, field: AdvancedField): unknown {
  if (field.key === 'runnerUrl' || field.key === 'weightsUrl') return settings[field.key];
  return settings.advanced[field.key];
}

function withField(settings: PluginSettings, field: AdvancedField, value: unknown): PluginSettings {
  if (field.key === 'runnerUrl') return { ...settings, runnerUrl: (value as string | undefined) ?? DEFAULT_SETTINGS.runnerUrl };
  if (field.key === 'weightsUrl') {
    const { weightsUrl: _old, ...rest } = settings;
    return value === undefined ? rest : { ...rest, weightsUrl: value as string };
  }
  const advanced: Record<string, unknown> = { ...settings.advanced, [field.key]: value };
  if (value === undefined) delete advanced[field.key];
  return { ...settings, advanced };
}
