import type { CurvaturePairState } from './optimizerState.ts';
import { dot } from './vectors.ts';

/** The m most recent curvature pairs of L-BFGS and the two-loop recursion over them. */
export interface LbfgsHistory {
  /** Pairs currently stored. */
  readonly size: number;
  /** γ = sᵀy / yᵀy of the newest pair ever stored (kept across clear()); undefined before the first. */
  readonly gamma: number | undefined;
  /**
   * Stores s = xNew − x, y = gNew − g (dropping the oldest pair beyond capacity), unless
   * sᵀy ≤ 1e-10·‖s‖‖y‖: such a pair would make the inverse-Hessian estimate indefinite.
   * Returns whether the pair was stored. Does not keep the arguments.
   */
  update(x: Float32Array, g: Float32Array, xNew: Float32Array, gNew: Float32Array): boolean;
  /**
   * −H·g by the two-loop recursion (Nocedal & Wright Algorithm 7.4) with H₀ = γI, γ = sᵀy / yᵀy of
   * the newest pair; −g when empty.
   */
  direction(g: Float32Array): Float32Array;
  /** Drops every pair (restart): the next direction is −g. */
  clear(): void;
  /** The pairs, oldest first (never changed afterwards: update makes new ones), and γ: what `restored` takes. */
  exportState(): { pairs: CurvaturePairState[]; gamma?: number };
}

type CurvaturePair = CurvaturePairState;

const difference = (a: Float32Array, b: Float32Array) => {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
};

/** `restored`: continue from an exported history (at most `capacity` pairs). */
export function createLbfgsHistory(capacity: number, restored?: { pairs: CurvaturePairState[]; gamma?: number }): LbfgsHistory {
  if (restored && restored.pairs.length > capacity) throw new RangeError(`the history to resume holds ${restored.pairs.length} pairs, more than the ${capacity} kept`);
  const pairs: CurvaturePair[] = restored ? [...restored.pairs] : [];
  let gamma = restored?.gamma;

  return {
    get size() {
      return pairs.length;
    },

    get gamma() {
      return gamma;
    },

    update(x, g, xNew, gNew) {
      const s = difference(xNew, x);
      const y = difference(gNew, g);
      const [sy, yy, ss] = [dot(s, y), dot(y, y), dot(s, s)];
      if (!(sy > 1e-10 * Math.sqrt(ss) * Math.sqrt(yy)) || !Number.isFinite(sy) || !Number.isFinite(yy)) return false;
      pairs.push({ s, y, rho: 1 / sy });
      gamma = sy / yy;
      if (pairs.length > capacity) pairs.shift();
      return true;
    },

    direction(g) {
      const n = g.length;
      const out = new Float32Array(n);
      if (pairs.length === 0) {
        for (let i = 0; i < n; i++) out[i] = -g[i];
        return out;
      }
      // The recursion's working vector in float64: it is the sum of up to 2m scaled vectors.
      const q = Float64Array.from(g);
      const alphas: number[] = [];
      for (let k = pairs.length - 1; k >= 0; k--) {
        const { s, y, rho } = pairs[k];
        let sq = 0;
        for (let i = 0; i < n; i++) sq += s[i] * q[i];
        alphas[k] = rho * sq;
        for (let i = 0; i < n; i++) q[i] -= alphas[k] * y[i];
      }
      for (let i = 0; i < n; i++) q[i] *= gamma!;
      for (let k = 0; k < pairs.length; k++) {
        const { s, y, rho } = pairs[k];
        let yr = 0;
        for (let i = 0; i < n; i++) yr += y[i] * q[i];
        const coefficient = alphas[k] - rho * yr;
        for (let i = 0; i < n; i++) q[i] += coefficient * s[i];
      }
      for (let i = 0; i < n; i++) out[i] = -q[i];
      return out;
    },

    clear() {
      pairs.length = 0;
    },

    exportState() {
      return { pairs: [...pairs], gamma };
    },
  };
}
