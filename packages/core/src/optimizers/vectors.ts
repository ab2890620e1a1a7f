// Reductions over float32 vectors, accumulated in float64: at millions of pixels a float32 sum would
// lose the digits that L-BFGS's curvature tests and line search compare.

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function maxAbs(a: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > max) max = v;
    else if (Number.isNaN(v)) return NaN; // so that a non-finite gradient is noticed
  }
  return max;
}

/** The L1 or L2 norm. */
export function norm(a: Float32Array, order: 1 | 2): number {
  let sum = 0;
  if (order === 1) for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]);
  else for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  return order === 1 ? sum : Math.sqrt(sum);
}

/** x + step·d, rounded to float32. */
export function addScaled(x: Float32Array, d: Float32Array, step: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + step * d[i];
  return out;
}
