import type { Pooling } from '../vgg/architecture.ts';

/**
 * How a 3×3 conv sees beyond the image's edges: zeros ('same' padding, as VGG was trained), or the image's
 * opposite edge ('wrap', circular padding: the image is one period of a pattern, and the result tiles).
 */
export type Padding = 'zero' | 'wrap';

/**
 * The operations the objective is written in (objective.ts), on NCHW tensors of one image. Each engine
 * turns them into what it runs: the ONNX graph builder records nodes, the float64 reference of the tests
 * computes them at once. T is the engine's handle for a tensor.
 */
export interface TensorAlgebra<T> {
  /** relu(conv3×3(x) + bias), stride 1, output x's size, padded as asked (default zero), with the named layer's weights. */
  convRelu(x: T, layer: string, padding?: Padding): T;
  /**
   * The input gradient of convRelu, given its output y: a conv of dy·[y > 0] with the kernel flipped and in/out
   * swapped, padded the same way (the adjoint of a circular convolution is the circular correlation).
   */
  convReluInputGradient(dy: T, y: T, layer: string, padding?: Padding): T;
  /** 2×2 stride-2 pooling; an odd last row or column is dropped (Keras' 'valid'). */
  pool(x: T, pooling: Pooling): T;
  /** Its gradient, x's shape: max pooling routes dy to the first maximum of each window (row-major), avg spreads it. */
  poolGradient(dy: T, x: T, y: T, pooling: Pooling): T;

  /** Gram matrix F·Fᵀ (C × C) of features [1, C, H, W] flattened to F = [C, H·W], unnormalised. */
  gram(features: T): T;
  /** M·F for a C × C matrix M, in the features' shape [1, C, H, W]. */
  gramBackward(m: T, features: T): T;

  /** Σ over the positions of each channel of features [1, C, H, W], as a C × 1 matrix (summed in stages). */
  channelSums(features: T): T;
  /** [1, C, H, W] in the shape of `like`: v_c (v a C × 1 matrix) at every position of channel c. */
  spreadChannels(v: T, like: T): T;

  /** Elementwise; b may also be a scalar or position weights [1, 1, H, W], broadcast over a's channels. */
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  scale(a: T, factor: number): T;
  /** a + c for a scalar c. */
  shift(a: T, c: number): T;
  /** a^p elementwise (a ≥ 0). */
  pow(a: T, p: number): T;
  /** The sum of every element, as a scalar; summed in stages so float32 error does not grow with size. */
  sum(a: T): T;
  /** Every channel without its first `top` and last `bottom` rows, first `left` and last `right` columns (pad's inverse). */
  trim(a: T, top: number, bottom: number, left: number, right: number): T;
  /** `n` rows and columns around every channel from its opposite edges, as if a were one period of a pattern (n ≤ its sides). */
  wrap(a: T, n: number): T;
  /** Zero rows and columns around every channel. */
  pad(a: T, top: number, bottom: number, left: number, right: number): T;
  /** A scalar 0 (a term whose weight is 0). */
  zero(): T;
  /**
   * The objective reads t no more: an engine that computes at once may free it (a graph builder or a
   * garbage-collected reference ignores it). Never called on the objective's inputs, image and targets.
   */
  release(t: T): void;
}
