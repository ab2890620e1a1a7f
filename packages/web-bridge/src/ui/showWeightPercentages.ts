import { splitIntoPercentages } from '../naming/splitIntoPercentages.ts';

/** Writes each style's share of the blend into its percentage label (`data-weight-for` = its key), in place. */
export function showWeightPercentages(root: ParentNode, styles: ReadonlyArray<{ key: string; weight: number }>): void {
  const percentages = splitIntoPercentages(styles.map((s) => s.weight));
  styles.forEach((style, i) => {
    const label = root.querySelector(`[data-weight-for="${CSS.escape(style.key)}"]`);
    if (label) label.textContent = `${percentages[i]}%`;
  });
}
