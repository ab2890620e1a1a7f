/**
 * Weights as whole percentages that add up to exactly 100 (largest remainders), so that a name never reads
 * "33% + 33% + 33%". A negative weight takes no share (as the core refuses it); all 0 → all 0.
 */
export function splitIntoPercentages(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + Math.max(0, b), 0);
  if (total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (Math.max(0, w) / total) * 100);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - floors[i] })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    floors[i]++;
  }
  return floors;
}
