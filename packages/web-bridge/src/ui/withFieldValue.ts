import { DEFAULT_RUNNER_URL } from '../runner/createRunnerClient.ts';
import type { AdvancedField, AdvancedSettings } from './advancedFields.ts';

/** The settings with an Advanced field set to `value`; undefined (an empty field) goes back to the default. */
export function withFieldValue<S extends AdvancedSettings>(settings: S, field: AdvancedField, value: unknown): S {
  if (field.key === 'runnerUrl') return { ...settings, runnerUrl: (value as string | undefined) ?? DEFAULT_RUNNER_URL };
  if (field.key === 'weightsUrl') {
    const { weightsUrl: _old, ...rest } = settings;
    return (value === undefined ? rest : { ...rest, weightsUrl: value as string }) as S;
  }
  const advanced: Record<string, unknown> = { ...settings.advanced, [field.key]: value };
  if (value === undefined) delete advanced[field.key];
  return { ...settings, advanced };
}
