import { DEFAULT_RUNNER_URL } from '../runner/createRunnerClient.ts';
import type { AdvancedField, AdvancedSettings } from './advancedFields.ts';

/** Shows the field's saved value in its input; empty while the default applies (the placeholder shows it). */
export function showFieldValue(field: AdvancedField, input: HTMLInputElement | HTMLSelectElement, settings: AdvancedSettings): void {
  const value = field.key === 'runnerUrl' || field.key === 'weightsUrl' ? settings[field.key] : settings.advanced[field.key];
  if (field.kind === 'checkbox') (input as HTMLInputElement).checked = value === true;
  else input.value = value === undefined || (field.key === 'runnerUrl' && value === DEFAULT_RUNNER_URL) ? '' : Array.isArray(value) ? value.join(', ') : String(value);
}
