import { splitIntoPercentages } from './splitIntoPercentages.ts';

/**
 * "Pastiche — Photo × Starry Night 70% + The Scream 30%", in both editors: the layer says what it was made
 * from. Styles with weight 0 took no part; a single style needs no percentage.
 */
export function nameResult(contentName: string, styles: ReadonlyArray<{ name: string; weight: number }>): string {
  const used = styles.filter((s) => s.weight > 0);
  const percentages = splitIntoPercentages(used.map((s) => s.weight));
  const styleText = used.length === 1 ? used[0].name : used.map((s, i) => `${s.name} ${percentages[i]}%`).join(' + ');
  return `Pastiche — ${contentName} × ${styleText}`;
}
