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
  const got = typeof error.value === 'number' && !Number.isFinite(error.value) ? String(error.value) : JSON.stringify(error.value);
  return { field, problem: `expected ${describeSchema(error.schema)}, got ${got ?? 'undefined'}` };
}
