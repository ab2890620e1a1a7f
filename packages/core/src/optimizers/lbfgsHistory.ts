import * as tf from '@tensorflow/tfjs-core';
import { readScalars } from './readScalars.ts';

/** The m most recent curvature pairs of L-BFGS and the two-loop recursion over them. Owns its tensors. */
export interface LbfgsHistory {
  /** Pairs currently stored. */
  readonly size: number;
  /** γ = sᵀy / yᵀy of the newest pair ever stored (kept across clear()); undefined before the first. */
  readonly gamma: number | undefined;
  /**
   * Stores s = xNew − x, y = gNew − g (dropping the oldest pair beyond capacity), unless
   * sᵀy ≤ 1e-10·‖s‖‖y‖: such a pair would make the inverse-Hessian estimate indefinite.
   * Resolves to whether the pair was stored. Does not take ownership of the arguments.
   */
  update(x: tf.Tensor1D, g: tf.Tensor1D, xNew: tf.Tensor1D, gNew: tf.Tensor1D): Promise<boolean>;
  /**
   * −H·g by the two-loop recursion (Nocedal & Wright Algorithm 7.4) with H₀ = γI, γ = sᵀy / yᵀy of
   * the newest pair; −g when empty. Runs entirely on the backend; the caller owns the result.
   */
  direction(g: tf.Tensor1D): tf.Tensor1D;
  /** Forgets every pair (restart): the next direction is −g. */
  clear(): void;
}

interface CurvaturePair {
  s: tf.Tensor1D;
  y: tf.Tensor1D;
  rho: number; // 1 / sᵀy
}

export function createLbfgsHistory(capacity: number): LbfgsHistory {
  const pairs: CurvaturePair[] = [];
  let gamma: number | undefined;

  return {
    get size() {
      return pairs.length;
    },

    get gamma() {
      return gamma;
    },

    async update(x, g, xNew, gNew) {
      const s = tf.sub(xNew, x) as tf.Tensor1D;
      const y = tf.sub(gNew, g) as tf.Tensor1D;
      let stats: number[];
      try {
        stats = await readScalars(() => [tf.sum(tf.mul(s, y)), tf.sum(tf.mul(y, y)), tf.norm(s)]);
      } catch (error) {
        s.dispose();
        y.dispose();
        throw error;
      }
      const [sy, yy, sNorm] = stats;
      if (!(sy > 1e-10 * sNorm * Math.sqrt(yy)) || !Number.isFinite(sy) || !Number.isFinite(yy)) {
        s.dispose();
        y.dispose();
        return false;
      }
      pairs.push({ s, y, rho: 1 / sy });
      gamma = sy / yy;
      while (pairs.length > capacity) {
        const oldest = pairs.shift()!;
        oldest.s.dispose();
        oldest.y.dispose();
      }
      return true;
    },

    direction(g) {
      return tf.tidy(() => {
        if (pairs.length === 0) return tf.neg(g);
        // Scalar coefficients stay tensors so the recursion never waits on a readback.
        const alphas: tf.Tensor[] = [];
        let q: tf.Tensor = g;
        for (let i = pairs.length - 1; i >= 0; i--) {
          const { s, y, rho } = pairs[i];
          alphas[i] = tf.mul(rho, tf.sum(tf.mul(s, q)));
          q = tf.sub(q, tf.mul(alphas[i], y));
        }
        let r = tf.mul(q, gamma!);
        for (let i = 0; i < pairs.length; i++) {
          const { s, y, rho } = pairs[i];
          const beta = tf.mul(rho, tf.sum(tf.mul(y, r)));
          r = tf.add(r, tf.mul(s, tf.sub(alphas[i], beta)));
        }
        return tf.neg(r) as tf.Tensor1D;
      });
    },

    clear() {
      for (const { s, y } of pairs.splice(0)) {
        s.dispose();
        y.dispose();
      }
    },
  };
}
