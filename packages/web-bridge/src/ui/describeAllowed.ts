import { describeSchema } from '@pastiche/core';
import type { TSchema } from '@sinclair/typebox';

/** What a field accepts, in words; "a number ≥ 0" rather than the schema's technical ceiling of 10¹². */
export function describeAllowed(schema: TSchema): string {
  if ((schema.type === 'number' || schema.type === 'integer') && typeof schema.maximum === 'number' && schema.maximum >= 1e9) {
    const low = schema.minimum ?? schema.exclusiveMinimum;
    const kind = schema.type === 'integer' ? 'an integer' : 'a number';
    if (low !== undefined) return `${kind} ${schema.exclusiveMinimum !== undefined ? '>' : '≥'} ${low}`;
  }
  return describeSchema(schema);
}
