import { MAX_STYLES } from '@pastiche/core';
import { ADVANCED_FIELDS } from './advancedFields.ts';
import type { HostWords } from './HostWords.ts';

/**
 * Why the styles or the Advanced fields keep Stylize from starting, in the panel's words; undefined when
 * they do not. The host checks its own part (the selection, the document, the content) first.
 */
export function findStyleProblem(styles: ReadonlyArray<{ weight: number }>, fieldProblems: Record<string, string>, words: HostWords): string | undefined {
  if (styles.length === 0) return `Add a style: ${words.addStyle}.`;
  if (styles.length > MAX_STYLES) return `At most ${MAX_STYLES} styles can blend: leave ${styles.length - MAX_STYLES} out.`;
  if (styles.length > 1 && !styles.some((s) => s.weight > 0)) return 'Every style weight is 0: raise at least one.';
  const field = Object.keys(fieldProblems)[0];
  if (field) return `Fix “${ADVANCED_FIELDS.find((f) => f.key === field)?.label ?? field}” in Advanced first.`;
  return undefined;
}
