import type { TensorAlgebra } from './TensorAlgebra.ts';

/** The operations on small matrices and scalars that the square root and the Wasserstein term are written in. */
export type MatrixAlgebra<T> = Pick<TensorAlgebra<T>, 'matmul' | 'transpose' | 'addIdentity' | 'trace' | 'add' | 'sub' | 'mul' | 'scale' | 'shift' | 'pow' | 'sum'>;

/** Newton–Schulz steps, as crowsonkb's style_transfer.py takes them (sqrtm_ns_lyap, num_iters=12). */
export const SQUARE_ROOT_STEPS = 12;

/**
 * P^½ of a symmetric positive definite matrix P by the coupled Newton–Schulz iteration (Higham, "Functions of
 * Matrices", (6.35)), from crowsonkb's sqrtm.py: with ‖P‖ the Frobenius norm,
 *
 *   Y₀ = P/‖P‖, Z₀ = I;  T_k = (3I − Z_k·Y_k)/2,  Y_k+1 = Y_k·T_k,  Z_k+1 = T_k·Z_k;  P^½ ≈ Y_K·‖P‖^½
 *
 * (Y → (P/‖P‖)^½, Z → its inverse). Only matrix products and elementwise operations: every engine runs it.
 *
 * The backward pass is the same K steps run backwards (reverse mode through the iterates, which are kept), so
 * the gradient is exactly that of the value computed. sqrtm.py's backward solves the Lyapunov equation of the
 * true square root instead; where K steps have not converged (eigenvalues below about 10⁻⁴·‖P‖ grow only
 * 1.5× a step) the two differ, and L-BFGS's line search needs the gradient of the function it evaluates.
 */
export function matrixSquareRoot<T>(A: MatrixAlgebra<T>, p: T, steps = SQUARE_ROOT_STEPS): { root: T; backward(dRoot: T): T } {
  const normSquared = A.sum(A.mul(p, p));
  const n = A.pow(normSquared, -0.5); // 1/‖P‖
  const s = A.pow(normSquared, 0.25); // ‖P‖^½
  // Z₀ = I is left implicit (undefined): the first step needs no product with it.
  const Y: T[] = [A.mul(p, n)];
  const Z: Array<T | undefined> = [undefined];
  const Tk: T[] = [];
  for (let k = 0; k < steps; k++) {
    const zy = Z[k] === undefined ? Y[k] : A.matmul(Z[k]!, Y[k]);
    const t = A.addIdentity(A.scale(zy, -0.5), 1.5);
    Tk.push(t);
    Y.push(A.matmul(Y[k], t));
    Z.push(Z[k] === undefined ? t : A.matmul(t, Z[k]!));
  }
  return {
    root: A.mul(Y[steps], s),
    backward(dRoot) {
      let dY = A.mul(dRoot, s);
      let dZ: T | undefined;
      for (let k = steps - 1; k >= 0; k--) {
        // Y_k+1 = Y_k·T_k, Z_k+1 = T_k·Z_k (Z₀ = I), T_k = 1.5·I − 0.5·Z_k·Y_k.
        const t = Tk[k];
        const z = Z[k];
        let dT = A.matmul(A.transpose(Y[k]), dY);
        if (dZ !== undefined) dT = A.add(dT, z === undefined ? dZ : A.matmul(dZ, A.transpose(z)));
        const dZY = A.scale(dT, -0.5);
        const dYk = A.add(A.matmul(dY, A.transpose(t)), z === undefined ? dZY : A.matmul(A.transpose(z), dZY));
        if (z === undefined) dZ = undefined;
        else {
          const fromZY = A.matmul(dZY, A.transpose(Y[k]));
          dZ = dZ === undefined ? fromZY : A.add(A.matmul(A.transpose(t), dZ), fromZY);
        }
        dY = dYk;
      }
      // Y₀ = P·n with n = (Σp²)^−½ and the result's factor s = (Σp²)^¼: through both scalars,
      // dP = dY₀·n + P·(½·ds·s − g·n)·n² with g = Σ dY₀⊙P, ds = Σ dRoot⊙Y_K.
      const g = A.sum(A.mul(dY, p));
      const ds = A.sum(A.mul(dRoot, Y[steps]));
      const c = A.mul(A.sub(A.scale(A.mul(ds, s), 0.5), A.mul(g, n)), A.mul(n, n));
      return A.add(A.mul(dY, n), A.mul(p, c));
    },
  };
}
