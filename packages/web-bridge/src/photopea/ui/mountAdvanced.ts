import { validateOptions } from '@pastiche/core';
import { isHttpUrl, type PhotopeaSettings } from '../settings/PhotopeaSettings.ts';
import { resolveRunOptions } from '../settings/resolveRunOptions.ts';
import { ADVANCED_FIELDS, type AdvancedField } from './advancedFields.ts';
import type { Store } from './createStore.ts';
import { h } from './h.ts';
import { chevronIcon } from './icons.ts';
import type { PanelState } from './PanelState.ts';
import { parseFieldText } from './parseFieldText.ts';

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
      const settings = withField(state.settings, field, value);
      const problem = checkSettings(field, value, settings);
      if (problem) return { fieldProblems: { ...fieldProblems, [field.key]: problem } };
      return { fieldProblems, settings };
    });
  };

  const fields = ADVANCED_FIELDS.map((field) => {
    const id = `advanced-${field.key}`;
    const input =
      field.kind === 'select'
        ? h('select', { id, class: 'input' }, h('option', { value: '' }, 'Default'), ...field.options!.map((o) => h('option', { value: o }, o)))
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
      if (!problem && document.activeElement !== input) setInputValue(field, input, state.settings);
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

function withField(settings: PhotopeaSettings, field: AdvancedField, value: unknown): PhotopeaSettings {
  if (field.key === 'runnerUrl') return { ...settings, runnerUrl: (value as string | undefined) ?? 'http://127.0.0.1:7878' };
  if (field.key === 'weightsUrl') {
    const { weightsUrl: _old, ...rest } = settings;
    return value === undefined ? rest : { ...rest, weightsUrl: value as string };
  }
  const advanced: Record<string, unknown> = { ...settings.advanced, [field.key]: value };
  if (value === undefined) delete advanced[field.key];
  return { ...settings, advanced };
}

function setInputValue(field: AdvancedField, input: HTMLInputElement | HTMLSelectElement, settings: PhotopeaSettings) {
  const value = field.key === 'runnerUrl' || field.key === 'weightsUrl' ? settings[field.key] : settings.advanced[field.key];
  if (field.kind === 'checkbox') (input as HTMLInputElement).checked = value === true;
  else input.value = value === undefined || (field.key === 'runnerUrl' && value === 'http://127.0.0.1:7878') ? '' : Array.isArray(value) ? value.join(', ') : String(value);
}
