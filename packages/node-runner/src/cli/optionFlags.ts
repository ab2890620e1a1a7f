import { DEFAULT_OPTIONS, DEFAULT_WEIGHTS, StylizeOptionsSchema, WASSERSTEIN_STYLE_WEIGHT, describeSchema, type StylizeOptions } from '@pastiche/core';
import type { TSchema } from '@sinclair/typebox';
import { CliError } from './CliError.ts';

/** `styleWeight` → `style-weight`: every core option is a flag of the same name. */
export const flagName = (option: string) => option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const properties = StylizeOptionsSchema.properties as Record<string, TSchema>;
const isBoolean = (schema: TSchema) => schema.type === 'boolean';
const isList = (schema: TSchema) => schema.type === 'array' || schema.anyOf?.some((s: TSchema) => s.type === 'array');

/** parseArgs declarations for every core option. */
export function optionFlagDeclarations() {
  return Object.fromEntries(
    Object.entries(properties).map(([key, schema]) => [flagName(key), { type: isBoolean(schema) ? ('boolean' as const) : ('string' as const) }]),
  );
}

/**
 * Turns flag strings into typed option values (numbers, comma-separated lists). Range and enum checks
 * are the core's validation, so the CLI accepts exactly what the engine does.
 */
export function optionsFromFlags(values: Record<string, string | boolean | undefined>): StylizeOptions {
  const options: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(properties)) {
    const raw = values[flagName(key)];
    if (raw === undefined) continue;
    if (typeof raw === 'boolean') {
      options[key] = raw;
      continue;
    }
    const items = isList(schema) ? raw.split(',').map((s) => s.trim()) : [raw.trim()];
    const numeric = isNumeric(schema);
    const parsed = items.map((item) => {
      if (!numeric) return item;
      const n = Number(item);
      if (item === '' || Number.isNaN(n)) throw new CliError(`--${flagName(key)}: expected ${describeSchema(schema)}, got "${raw}"`, 2);
      return n;
    });
    // A list option stays a list; `evaluations` (one budget, or one per scale) keeps a single value plain.
    options[key] = schema.type === 'array' || parsed.length > 1 ? parsed : parsed[0];
  }
  return options as StylizeOptions;
}

function isNumeric(schema: TSchema): boolean {
  if (schema.type === 'number' || schema.type === 'integer') return true;
  if (schema.type === 'array') return isNumeric(schema.items as TSchema);
  return Boolean(schema.anyOf?.every(isNumeric));
}

/** "--style-weight N  weight of the style term (default 0.01; notebook normalization: 5)". */
export function optionFlagsHelp(): string {
  const defaults = DEFAULT_OPTIONS as Record<string, unknown>;
  const weights = DEFAULT_WEIGHTS['scale-invariant'] as Record<string, number>;
  const notebook = DEFAULT_WEIGHTS.notebook as Record<string, number>;
  const rows = Object.entries(properties).map(([key, schema]) => {
    const flag = `--${flagName(key)}${isBoolean(schema) ? '' : isList(schema) ? ' A,B' : ' X'}`;
    let fallback = '';
    if (key in weights) fallback = `default ${weights[key]}; notebook normalization: ${notebook[key]}${key === 'styleWeight' ? `; wasserstein style loss: ${WASSERSTEIN_STYLE_WEIGHT}` : ''}`;
    else if (key in defaults) fallback = `default ${Array.isArray(defaults[key]) ? (defaults[key] as unknown[]).join(',') : defaults[key]}`;
    else if (key === 'seed') fallback = 'default random, printed';
    else if (key === 'styleLayerWeights') fallback = 'default equal';
    else if (key === 'restartEvery') fallback = 'default never';
    else if (key === 'lbfgsHistory') fallback = 'default 30, fewer above ~1000 px (512 MiB), at least 10';
    const accepts = isBoolean(schema) ? '' : `; ${describeSchema(schema)}`;
    return [flag, `${schema.description ?? ''} (${fallback}${accepts})`];
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`).join('\n');
}
