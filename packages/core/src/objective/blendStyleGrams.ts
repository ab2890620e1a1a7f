/**
 * One target for several styles. For style Grams A_s with blend weights w_s (Σ w_s = 1),
 * Σ_s w_s ‖G − A_s‖² = ‖G − Ā‖² + (Σ_s w_s ‖A_s‖² − ‖Ā‖²) with Ā = Σ_s w_s A_s: one target and a constant
 * give the exact multi-style loss at the cost of a single style. Computed in float64.
 */
export function blendStyleGrams(grams: Float32Array[], weights: number[]): { gram: Float32Array; constant: number } {
  const total = weights.reduce((a, b) => a + b, 0);
  const size = grams[0].length;
  const blended = new Float64Array(size);
  let weightedSquares = 0;
  grams.forEach((g, s) => {
    const w = weights[s] / total;
    let squares = 0;
    for (let i = 0; i < size; i++) {
      blended[i] += w * g[i];
      squares += g[i] * g[i];
    }
    weightedSquares += w * squares;
  });
  let blendedSquares = 0;
  for (let i = 0; i < size; i++) blendedSquares += blended[i] * blended[i];
  return { gram: Float32Array.from(blended), constant: Math.max(0, weightedSquares - blendedSquares) };
}
