import * as tf from '@tensorflow/tfjs-core';

const POOL_ATTRS = { filterSize: 2, strides: 2, pad: 'valid' } as unknown as tf.NamedAttrMap;

type MaxPoolGradient = (dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor) => tf.Tensor;

/**
 * The gradient of 2×2 stride-2 'valid' max pooling [1, H, W, C], routed to the first maximum of each window
 * in row-major order, as the objective defines it. tfjs's MaxPoolGrad breaks ties by backend: cpu takes the
 * first maximum, wasm and webgl the last (they compare with >=). Which one the active backend takes is
 * found once, on a flat positive window; a backend that takes the last gets the windows mirrored, which
 * reverses their order. (wasm's kernel also drops or misroutes windows whose maximum is not positive: here
 * the pool's input is a ReLU's output, so such a window is all zeros and the ReLU masks its gradient
 * wherever it goes.) `tieOrder` forces the order (tests).
 */
export function createMaxPoolGradient(tieOrder: 'first' | 'last' = backendTieOrder()): MaxPoolGradient {
  const kernel = (dy: tf.Tensor, input: tf.Tensor, output: tf.Tensor) => tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, POOL_ATTRS) as tf.Tensor;
  if (tieOrder === 'first') return kernel;
  // Mirrored on even sizes, the windows stay windows: the dropped odd row and column are cut first. Each
  // activation-sized copy is freed once the next exists.
  return (dy, x, y) =>
    tf.tidy(() => {
      const [, height, width] = x.shape as number[];
      const [, h, w] = dy.shape as number[];
      const mirror = (t: tf.Tensor, done = false) => {
        const mirrored = tf.reverse(t, [1, 2]);
        if (done) t.dispose();
        return mirrored;
      };
      const even = 2 * h === height && 2 * w === width;
      const windows = even ? x : tf.slice(x, [0, 0, 0, 0], [-1, 2 * h, 2 * w, -1]);
      const mirroredWindows = mirror(windows, !even);
      const routed = kernel(mirror(dy), mirroredWindows, mirror(y));
      mirroredWindows.dispose();
      const dx = mirror(routed, true);
      return even ? dx : tf.pad(dx, [[0, 0], [0, height - 2 * h], [0, width - 2 * w], [0, 0]]);
    });
}

function backendTieOrder(): 'first' | 'last' {
  const routed = tf.tidy(() => tf.engine().runKernel('MaxPoolGrad', { dy: tf.ones([1, 1, 1, 1]), input: tf.ones([1, 2, 2, 1]), output: tf.ones([1, 1, 1, 1]) }, POOL_ATTRS) as tf.Tensor);
  const at = Array.from(routed.dataSync());
  routed.dispose();
  if (at.join() === '1,0,0,0') return 'first';
  if (at.join() === '0,0,0,1') return 'last';
  throw new Error(`${tf.getBackend()}: MaxPoolGrad routes a tie as [${at}], neither to the first nor to the last maximum`);
}
