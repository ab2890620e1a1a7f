import { flagName } from './optionFlags.ts';

/** Names a core request field as the flag the user typed: options.styleWeight → --style-weight. */
export function userFacingFlag(field: string): string {
  const option = /^options\.(\w+)/.exec(field);
  if (option) return `--${flagName(option[1])}${field.slice(option[0].length)}`;
  if (field.startsWith('styles')) return field.endsWith('.weight') ? '--style-weights' : '--style';
  if (field === 'content') return '--content';
  return field;
}
