/** Loss values span many orders of magnitude: three significant digits, exponent when large or small. */
export function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude >= 1e4 || magnitude < 1e-2) ? value.toExponential(2) : value.toPrecision(3);
}
