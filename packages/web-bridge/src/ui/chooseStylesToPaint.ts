/**
 * The styles a run paints with: one style takes the whole style term whatever its slider says (the
 * weights are shares); of several, those whose weight is 0 are left out.
 */
export function chooseStylesToPaint<T extends { weight: number }>(styles: readonly T[]): T[] {
  return styles.length === 1 ? [{ ...styles[0], weight: 1 }] : styles.filter((s) => s.weight > 0);
}
