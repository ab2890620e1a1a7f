import { StylizeOptionsSchema, validateOptions } from '@pastiche/core';
import { Value } from '@sinclair/typebox/value';
import { isHttpUrl } from '../settings/isHttpUrl.ts';
import { resolveRunOptions } from '../settings/resolveRunOptions.ts';
import type { AdvancedField, AdvancedSettings } from './advancedFields.ts';
import { describeAllowed } from './describeAllowed.ts';

/**
 * What is wrong with an Advanced field's new value, in the panel's words; undefined when it may be saved.
 * The field alone first (what it accepts, worded for people), then the whole run's options as the core and
 * the runner check them, which catches what only a combination breaks. `settings` already holds the value.
 */
export function checkFieldValue(field: AdvancedField, value: unknown, settings: AdvancedSettings): string | undefined {
  if (field.key === 'runnerUrl' || field.key === 'weightsUrl') {
    return value === undefined || isHttpUrl(value) ? undefined : 'expected an address starting with http:// or https://';
  }
  const schema = StylizeOptionsSchema.properties[field.key];
  if (value !== undefined && !Value.Check(schema, value)) return `expected ${describeAllowed(schema)}`;
  try {
    validateOptions(resolveRunOptions(settings));
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^options(\.\w+)?: /, '');
  }
}
