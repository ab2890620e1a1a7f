import type { AdvancedField } from './advancedFields.ts';
import { h } from './h.ts';
import type { RunSettings } from '../settings/resolveRunOptions.ts';

export interface FieldInput {
  /** The field as laid out: its label, the input and the problem line. */
  element: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement;
  /** Where what is wrong with the typed value goes (hidden while nothing is). */
  problem: HTMLElement;
}

/** One Advanced field: a text box, checkbox or select by its kind; `onChange` runs as the user edits it. */
export function createFieldInput(field: AdvancedField, defaults: RunSettings, onChange: () => void): FieldInput {
  const id = `advanced-${field.key}`;
  const input =
    field.kind === 'select'
      ? h('select', { id, class: 'input' }, h('option', { value: '' }, `Default (${field.placeholder(defaults)})`), ...field.options!.map((o) => h('option', { value: o }, o)))
      : h('input', { id, class: field.kind === 'checkbox' ? 'checkbox' : 'input', type: field.kind === 'checkbox' ? 'checkbox' : 'text', spellcheck: false, autocomplete: 'off' });
  input.dataset.field = field.key;
  input.addEventListener(field.kind === 'checkbox' || field.kind === 'select' ? 'change' : 'input', onChange);
  const problem = h('p', { class: 'field-problem', hidden: true });
  const element =
    field.kind === 'checkbox'
      ? h('label', { class: 'field field-wide field-checkbox', for: id }, input, h('span', null, field.label))
      : h('div', { class: `field${field.wide ? ' field-wide' : ''}` }, h('label', { for: id }, field.label), input, problem);
  return { element, input, problem };
}
