import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { TSchema } from '@sinclair/typebox';

/** What a schema accepts, in words: "an integer from 16 to 8192", "one of vgg16, vgg19". */
export function describeSchema(schema: TSchema): string {
  if (schema.anyOf) {
    const options = schema.anyOf as TSchema[];
    if (options.every((s) => s.const !== undefined)) return `one of ${options.map((s) => s.const).join(', ')}`;
    return options.map(describeSchema).join(', or ');
  }
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const kind = schema.type === 'integer' ? 'an integer' : 'a number';
      const low = schema.minimum ?? schema.exclusiveMinimum;
      const lowWord = schema.exclusiveMinimum !== undefined ? 'above' : 'from';
      if (low !== undefined && schema.maximum !== undefined) return `${kind} ${lowWord} ${low} to ${schema.maximum}`;
      return low !== undefined ? `${kind} ${lowWord === 'from' ? '≥' : '>'} ${low}` : kind;
    }
    case 'boolean':
      return 'true or false';
    case 'string':
      return schema.pattern === '^block[1-5]_conv[1-4]$' ? 'a layer name such as block2_conv2' : 'a string';
    case 'array':
      return `a list of ${schema.minItems ?? 0} to ${schema.maxItems ?? '∞'} items, each ${describeSchema(schema.items as TSchema)}${schema.uniqueItems ? ', without repeats' : ''}`;
    case 'object':
      return 'an object';
    default:
      return 'a valid value';
  }
}

/** One line for the first schema violation, prefixed with the field path under `root`. */
export function describeSchemaError(error: ValueError, root: string, knownFields: string[]): { field: string; problem: string } {
  const field = root + error.path.split('/').filter(Boolean).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('');
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    return { field, problem: `unknown option; known options: ${knownFields.join(', ')}` };
  }
  const got = typeof error.value === 'number' && !Number.isFinite(error.value) ? String(error.value) : JSON.stringify(error.value);
  return { field, problem: `expected ${describeSchema(error.schema)}, got ${got ?? 'undefined'}` };
}
