import * as tf from '@tensorflow/tfjs-core';

/**
 * The gradient of 2×2 stride-2 'valid' max pooling of x [1, H, W, C] (output y [1, h, w, C]), routed to the
 * first maximum of each window in row-major order, as the objective defines it, the same on every backend.
 * tfjs's MaxPoolGrad is not used: it breaks ties by backend (cpu to the first maximum, wasm and webgl to the
 * last; wasm's also drops or misroutes windows whose maximum is not positive), and mirroring the windows
 * around it took tf.reverse, slow on wasm. Instead, with x seen as [1, h, 2, w, 2, C] windows and y, dy
 * broadcast over them: each position scores its rank in the window (4, 3, 2, 1 in row-major order), ×10
 * where it is a maximum (y − x = 0 exactly); the window's highest score marks its first maximum, and dy goes
 * there. Elementwise ops and one max pool; each window-sized intermediate is freed once the next exists.
 */
export function maxPoolGradient(dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const [, height, width, channels] = x.shape as number[];
  const [, h, w] = y.shape as number[];
  const even = 2 * h === height && 2 * w === width;
  const pooled: [number, number, number, number] = [1, 2 * h, 2 * w, channels];
  const perWindow = [1, h, 1, w, 1, channels];
  return tf.tidy(() => {
    const rank = tf.tensor([4, 3, 2, 1], [1, 1, 2, 1, 2, 1]);
    return chain(
      x,
      (t) => (even ? t : tf.slice(t, 0, pooled)),
      (t) => tf.reshape(t, [1, h, 2, w, 2, channels]),
      (t) => broadcast(y, (yWindows) => tf.sub(yWindows, t)), // ≥ 0, exactly 0 at the maxima
      (t) => tf.step(t, 10), // 10 at the maxima, 1 elsewhere
      (t) => tf.mul(t, rank), // the score: distinct in a window, highest at its first maximum
      (t) => tf.sub(t, highestLessHalf(t)), // 0.5 at the first maximum, ≤ −0.5 elsewhere
      (t) => tf.step(t), // 1 at the first maximum, 0 elsewhere
      (t) => broadcast(dy, (dyWindows) => tf.mul(t, dyWindows)),
      (t) => tf.reshape(t, pooled),
      (t) => (even ? t : tf.pad(t, [[0, 0], [0, height - 2 * h], [0, width - 2 * w], [0, 0]])),
    );
  });

  /** Each window's highest score less 0.5, [1, h, 1, w, 1, C]. */
  function highestLessHalf(score: tf.Tensor): tf.Tensor {
    return chain(score, (s) => tf.reshape(s, pooled), (s) => tf.maxPool(s as tf.Tensor4D, 2, 2, 'valid'), (s) => tf.reshape(s, perWindow), (s) => tf.sub(s, 0.5));
  }

  /** f of t [1, h, w, C] seen as [1, h, 1, w, 1, C], to broadcast over the windows. */
  function broadcast(t: tf.Tensor, f: (windows: tf.Tensor) => tf.Tensor): tf.Tensor {
    const view = tf.reshape(t, perWindow);
    const result = f(view);
    view.dispose();
    return result;
  }
}

/** The fs applied in turn to t, each intermediate freed as soon as the next exists; t is the caller's. */
function chain(t: tf.Tensor, ...fs: Array<(t: tf.Tensor) => tf.Tensor>): tf.Tensor {
  let result = t;
  for (const f of fs) {
    const next = f(result);
    if (result !== t && next !== result) result.dispose();
    result = next;
  }
  return result;
}
