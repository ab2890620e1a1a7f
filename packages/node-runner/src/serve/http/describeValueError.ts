import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { describeSchema } from '@pastiche/core';

/**
 * One schema violation as the core words it: the field as a path under `root` (`options.styleWeight`,
 * `styles[1].weight`) and what it accepts. Unknown properties list the known ones of their own object.
 */
export function describeValueError(error: ValueError, root: string): { field: string; problem: string } {
  const parts = error.path.split('/').filter(Boolean).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`));
  const field = (root + parts.join('')).replace(/^\./, '') || root || 'body';
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const known = Object.keys((error.schema.properties as object | undefined) ?? {});
    const noun = /^options\.[^.[]+$/.test(field) ? 'option' : /^config\./.test(field) ? 'setting' : 'field';
    return { field, problem: `unknown ${noun}; known ${noun}s: ${known.join(', ') || 'none'}` };
  }
  if (error.type === ValueErrorType.StringMaxLength || error.type === ValueErrorType.StringMinLength) {
    const bound = error.type === ValueErrorType.StringMaxLength ? `at most ${error.schema.maxLength}` : `at least ${error.schema.minLength}`;
    return { field, problem: `expected ${bound} characters, got ${String(error.value).length}` };
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) return { field, problem: `is required (${describeSchema(error.schema)})` };
  return { field, problem: `expected ${describeSchema(error.schema)}, got ${describeGot(error.value)}` };
}

/** What was sent instead, short: a hostile value (5000 nested arrays, a 60 KB string) is not echoed back whole. */
function describeGot(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
