import type { RunSettings } from '../settings/resolveRunOptions.ts';
import { ADVANCED_FIELDS, type AdvancedField, type AdvancedSettings } from './advancedFields.ts';
import { checkFieldValue } from './checkFieldValue.ts';
import { createFieldInput } from './createFieldInput.ts';
import type { Store } from './createStore.ts';
import { parseFieldText } from './parseFieldText.ts';
import { showFieldValue } from './showFieldValue.ts';
import { withFieldValue } from './withFieldValue.ts';

/** What the Advanced fields read and write: the settings, and what is wrong with each field's typed text. */
export interface AdvancedFieldsState {
  settings: AdvancedSettings;
  fieldProblems: Record<string, string>;
}

/**
 * The Advanced section's fields, each checked as it is typed (checkFieldValue). A valid value is saved at
 * once; an invalid one stays in its field, marked, with what is allowed, and is never saved (the run refuses
 * to start until it is fixed). `describe` words a problem under its field. The host lays the fields out in
 * its own section, with its own title, count and reset.
 */
export function createAdvancedFields<S extends AdvancedFieldsState>(store: Store<S>, defaults: RunSettings, describe = (_field: AdvancedField, problem: string) => problem): HTMLElement[] {
  const inputs = new Map<AdvancedField, HTMLInputElement | HTMLSelectElement>();
  const problems = new Map<AdvancedField, HTMLElement>();

  const commit = (field: AdvancedField, input: HTMLInputElement | HTMLSelectElement) => {
    const value = parseFieldText(field.kind, input.value, (input as HTMLInputElement).checked);
    store.update((state) => {
      const { [field.key]: _previous, ...fieldProblems } = state.fieldProblems;
      const settings = withFieldValue(state.settings, field, value);
      const problem = checkFieldValue(field, value, settings);
      return (problem ? { fieldProblems: { ...fieldProblems, [field.key]: problem } } : { fieldProblems, settings }) as Partial<S>;
    });
  };

  const elements = ADVANCED_FIELDS.map((field) => {
    const { element, input, problem } = createFieldInput(field, defaults, () => commit(field, input));
    inputs.set(field, input);
    problems.set(field, problem);
    return element;
  });

  const draw = (state: S) => {
    for (const [field, input] of inputs) {
      const problem = state.fieldProblems[field.key];
      const line = problems.get(field)!;
      line.textContent = problem ? describe(field, problem) : '';
      line.hidden = !problem;
      input.classList.toggle('invalid', Boolean(problem));
      input.setAttribute('aria-invalid', String(Boolean(problem)));
      if ('placeholder' in input) input.placeholder = field.placeholder(state.settings);
      if (document.activeElement !== input && !problem) showFieldValue(field, input, state.settings); // never rewrite what the user is typing
    }
  };
  store.subscribe(draw);
  draw(store.get());
  return elements;
}
