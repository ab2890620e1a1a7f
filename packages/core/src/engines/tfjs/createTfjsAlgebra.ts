import * as tf from '@tensorflow/tfjs-core';
import type { Padding, TensorAlgebra } from '../../objective/TensorAlgebra.ts';
import type { ConvWeightsByLayer } from '../../weights/types.ts';
import { maxPoolGradient } from './maxPoolGradient.ts';

export interface TfjsAlgebra extends TensorAlgebra<tf.Tensor> {
  /** Frees the kernels. */
  dispose(): void;
}

const POOL_ATTRS = { filterSize: 2, strides: 2, pad: 'valid' } as unknown as tf.NamedAttrMap;

/** Positions per partial Gram where the Gram is summed in chunks (see gram below). */
const GRAM_CHUNK = 4096;
/** Backends whose tensors live on a GPU: reading them back to stage a sum would stall it. */
const GPU_BACKENDS = new Set(['webgl', 'webgpu']);

/**
 * The objective's operations as eager TensorFlow.js ops on the active backend. Images and features stay in
 * NHWC ([1, H, W, C], the layout of tfjs convolutions); a Gram is C × C as in NCHW, since Fᵀ·F of the
 * [H·W, C] matrix is F·Fᵀ of the [C, H·W] one. Each operation runs in its own tf.tidy: only its result
 * outlives it. No autograd: the objective writes its gradient out. Position weights ([1, 1, H, W] in NCHW)
 * are [1, H, W, 1] here and broadcast over the channels as they should.
 */
export function createTfjsAlgebra(weights: ConvWeightsByLayer, layers: readonly string[]): TfjsAlgebra {
  // The input gradient of a stride-1 'same' 3×3 conv is a forward conv with the kernel flipped spatially
  // and its in/out channels swapped: far faster than Conv2DBackpropInput on wasm. Flipped once, here.
  const kernels = new Map(
    layers.map((name) => {
      const w = weights.get(name)!;
      const kernel = tf.tensor4d(w.kernel, w.kernelShape);
      const flipped = tf.tidy(() => tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2])) as tf.Tensor4D;
      return [name, { kernel, flipped, bias: tf.tensor1d(w.bias) }] as const;
    }),
  );
  const layer = (name: string) => {
    const k = kernels.get(name);
    if (!k) throw new Error(`no weights for ${name}`);
    return k;
  };
  /** [1, H, W, C] as the [H·W, C] matrix. */
  const positionsByChannels = (f: tf.Tensor) => tf.reshape(f, [-1, f.shape[3]!]) as tf.Tensor2D;

  /** [1, H, W, C] with n rows and columns from the opposite edges around it: tfjs convs have no circular padding. */
  const wrap = (a: tf.Tensor, n: number) => tf.tidy(() => {
    const rows = tf.concat([tf.slice(a, [0, a.shape[1]! - n, 0, 0], [-1, n, -1, -1]), a, tf.slice(a, [0, 0, 0, 0], [-1, n, -1, -1])], 1);
    return tf.concat([tf.slice(rows, [0, 0, a.shape[2]! - n, 0], [-1, -1, n, -1]), rows, tf.slice(rows, [0, 0, 0, 0], [-1, -1, n, -1])], 2);
  });
  /** The conv's input and tfjs padding: circular padding is a wrap by one pixel, then 'valid'. */
  const padded = (x: tf.Tensor, padding: Padding): [tf.Tensor4D, 'same' | 'valid'] => (padding === 'wrap' ? [wrap(x, 1) as tf.Tensor4D, 'valid'] : [x as tf.Tensor4D, 'same']);

  return {
    convRelu: (x, name, padding = 'zero') => tf.tidy(() => {
      const { kernel, bias } = layer(name);
      const [input, pad] = padded(x, padding);
      return tf.fused.conv2d({ x: input, filter: kernel, bias, strides: 1, pad, activation: 'relu' });
    }),
    convReluInputGradient: (dy, y, name, padding = 'zero') => tf.tidy(() => {
      const [input, pad] = padded(tf.mul(dy, tf.step(y)), padding);
      return tf.conv2d(input, layer(name).flipped, 1, pad);
    }),
    pool: (x, pooling) => (pooling === 'max' ? tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid') : tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')),
    poolGradient: (dy, x, y, pooling) =>
      pooling === 'max' ? maxPoolGradient(dy, x, y) : tf.engine().runKernel('AvgPoolGrad', { dy, input: x }, POOL_ATTRS) as tf.Tensor,
    // matMul with a transposed operand runs about 10× slower on wasm than an explicit transpose first.
    gram: (f) => tf.tidy(() => {
      const flat = positionsByChannels(f);
      return flat.shape[0] > GRAM_CHUNK && !GPU_BACKENDS.has(tf.getBackend()) ? chunkedGram(flat) : tf.matMul(tf.transpose(flat), flat);
    }),
    // (M·F) in NCHW is F·Mᵀ on the [H·W, C] matrix.
    gramBackward: (m, f) => tf.tidy(() => tf.reshape(tf.matMul(positionsByChannels(f), tf.transpose(m)), f.shape)),
    // Rows first, then columns: staged, as sum is.
    channelSums: (f) => tf.tidy(() => tf.reshape(tf.sum(tf.sum(f, 2), 1), [-1, 1])),
    spreadChannels: (v, like) => tf.tidy(() => tf.broadcastTo(tf.reshape(v, [1, 1, 1, -1]), like.shape)),
    add: (a, b) => tf.add(a, b),
    sub: (a, b) => tf.sub(a, b),
    mul: (a, b) => tf.mul(a, b),
    scale: (a, factor) => tf.mul(a, factor),
    shift: (a, c) => tf.add(a, c),
    pow: (a, p) => tf.pow(a, p),
    // Axis by axis, innermost first: one float32 reduction over millions of values drifts.
    sum: (a) => tf.tidy(() => {
      let total = a;
      while (total.rank > 0) total = tf.sum(total, total.rank - 1);
      return total;
    }),
    trim: (a, top, bottom, left, right) => tf.slice(a, [0, top, left, 0], [-1, a.shape[1]! - top - bottom, a.shape[2]! - left - right, -1]),
    wrap,
    pad: (a, top, bottom, left, right) => tf.pad(a, [[0, 0], [top, bottom], [left, right], [0, 0]]),
    zero: () => tf.scalar(0),
    release: (t) => t.dispose(),
    dispose() {
      tf.dispose([...kernels.values()].flatMap((k) => [k.kernel, k.flipped, k.bias]));
      kernels.clear();
    },
  };
}

/**
 * Fᵀ·F of an [N, C] matrix summed over chunks of GRAM_CHUNK positions, the chunks' Grams added in float64. wasm's
 * matMul (XNNPACK) sums all N products of an entry in one float32 register: over 262,144 positions (a 512 px
 * image at block1) its Gram is 7e-6 from float64, against 1.4e-7 in chunks (measured), and the style term's
 * G − A, where G and A nearly agree, multiplies that. The chunks are cut from the features in host memory
 * (tfjs wasm's slice copies the whole tensor each time, and its batched matMul takes a path 10× slower).
 */
function chunkedGram(flat: tf.Tensor2D): tf.Tensor2D {
  const [n, c] = flat.shape;
  const data = flat.dataSync() as Float32Array;
  const sum = new Float64Array(c * c);
  for (let start = 0; start < n; start += GRAM_CHUNK) {
    const m = Math.min(GRAM_CHUNK, n - start);
    const rows = data.subarray(start * c, (start + m) * c);
    const columns = new Float32Array(m * c);
    for (let p = 0; p < m; p++) for (let ch = 0; ch < c; ch++) columns[ch * m + p] = rows[p * c + ch];
    const part = tf.tidy(() => tf.matMul(tf.tensor2d(columns, [c, m]), tf.tensor2d(rows, [m, c])));
    const values = part.dataSync();
    part.dispose();
    for (let i = 0; i < sum.length; i++) sum[i] += values[i];
  }
  return tf.tensor2d(Float32Array.from(sum), [c, c]);
}
