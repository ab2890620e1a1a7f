/**
 * Minimiser of the cubic that interpolates (a, fa, ga) and (b, fb, gb) — values and derivatives at
 * two steps — clamped to [lower, upper] (default: the interval between a and b). Falls back to the
 * midpoint of the bounds when the cubic has no local minimiser or an input is not finite (e.g. the
 * objective overflowed at a long trial step). Same formula as torch.optim.lbfgs `_cubic_interpolate`
 * (Nocedal & Wright eq. 3.59).
 */
export function minimizeInterpolatingCubic(
  a: number,
  fa: number,
  ga: number,
  b: number,
  fb: number,
  gb: number,
  bounds: readonly [lower: number, upper: number] = [Math.min(a, b), Math.max(a, b)],
): number {
  const [lower, upper] = bounds;
  const midpoint = (lower + upper) / 2;
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const d2Squared = d1 * d1 - ga * gb;
  if (!(d2Squared >= 0)) return midpoint; // also catches NaN
  const d2 = Math.sqrt(d2Squared);
  const minimizer = a <= b ? b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2)) : a - (a - b) * ((ga + d2 - d1) / (ga - gb + 2 * d2));
  if (!Number.isFinite(minimizer)) return midpoint;
  return Math.min(Math.max(minimizer, lower), upper);
}
