import type { ConvWeightsByLayer } from '../../weights/types.ts';
import type { Pooling } from '../../vgg/architecture.ts';
import type { Padding, TensorAlgebra } from '../../objective/TensorAlgebra.ts';
import type { OnnxGraph, OnnxInitializer, OnnxNode, OnnxValueInfo } from './encodeOnnxModel.ts';

/** A value of the graph: its name and its shape (-1 where only known at run time). */
export interface GraphValue {
  name: string;
  dims: number[];
}

export interface OnnxGraphBuilder extends TensorAlgebra<GraphValue> {
  /** A float input fed at run time, NHWC image [1, H, W, 3] (dims may be names), returned as NCHW. */
  imageInput(name: string, height: number | string, width: number | string): GraphValue;
  /** A float input fed as it is (dims may be names). */
  input(name: string, dims: Array<number | string>): GraphValue;
  /** A constant baked into the graph (targets, computed once per scale). */
  constant(name: string, data: Float32Array, dims: number[]): GraphValue;
  /** Declares a graph output: NCHW image tensors are returned as NHWC when `asImage`. */
  output(name: string, value: GraphValue, options?: { asImage?: boolean }): void;
  finish(name: string): OnnxGraph;
}

/**
 * Records the objective's operations as ONNX nodes. Weights become initializers the first time a layer is
 * used, the flipped kernels only if its gradient is; sums are staged axis by axis (one ReduceSum over
 * millions of values lost 2e-4 relative in float32).
 */
export function createOnnxGraph(weights: ConvWeightsByLayer): OnnxGraphBuilder {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  const named = new Set<string>();
  let counter = 0;

  const fresh = (hint: string) => `${hint}_${counter++}`;
  const node = (op: string, ins: string[], dims: number[], attributes?: OnnxNode['attributes']): GraphValue => {
    const name = fresh(op.toLowerCase());
    nodes.push({ op, inputs: ins, outputs: [name], attributes });
    return { name, dims };
  };
  const initializer = (name: string, data: Float32Array | BigInt64Array, dims: number[]) => {
    if (!named.has(name)) {
      named.add(name);
      initializers.push({ name, dims, data });
    }
    return name;
  };
  const scalar = (value: number) => initializer(`scalar_${value}`, Float32Array.of(value), []);
  const int64s = (values: number[]) => initializer(`int64_${values.join('_')}`, BigInt64Array.from(values.map(BigInt)), [values.length]);

  const layerWeights = (layer: string) => {
    const w = weights.get(layer);
    if (!w) throw new Error(`no weights for ${layer}`);
    return w;
  };
  /** OIHW kernel and bias from Keras' HWIO. */
  const kernel = (layer: string) => {
    const { kernel: k, kernelShape: [kh, kw, ci, co], bias } = layerWeights(layer);
    if (!named.has(`${layer}_kernel`)) {
      const oihw = new Float32Array(k.length);
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
        oihw[((o * ci + i) * kh + y) * kw + x] = k[((y * kw + x) * ci + i) * co + o];
      }
      initializer(`${layer}_kernel`, oihw, [co, ci, kh, kw]);
      initializer(`${layer}_bias`, bias, [co]);
    }
    return { kernel: `${layer}_kernel`, bias: `${layer}_bias`, outChannels: co, inChannels: ci };
  };
  /**
   * The kernel of the input gradient, flipped spatially with in and out channels swapped (IOHW), as graph
   * nodes on the forward kernel: ONNX Runtime folds them into a constant when the session opens, so the
   * model's bytes carry each kernel once.
   */
  const flippedKernel = (layer: string) => {
    const k = kernel(layer);
    const [kh, kw] = layerWeights(layer).kernelShape;
    const swapped = node('Transpose', [k.kernel], [k.inChannels, k.outChannels, kh, kw], { perm: { ints: [1, 0, 2, 3] } });
    const flipped = node('Slice', [swapped.name, int64s([-1, -1]), int64s([-kh - 1, -kw - 1]), int64s([2, 3]), int64s([-1, -1])], swapped.dims);
    return { kernel: flipped.name, inChannels: k.inChannels };
  };
  /** A 3×3 conv keeping x's size: zero 'same' padding, or 'valid' on x wrapped by one pixel (circular padding). */
  const conv3x3 = (x: GraphValue, kernelName: string, outChannels: number, padding: Padding, bias?: string) => {
    const input = padding === 'wrap' ? A.wrap(x, 1) : x;
    const pads = padding === 'wrap' ? [0, 0, 0, 0] : [1, 1, 1, 1];
    return node('Conv', bias ? [input.name, kernelName, bias] : [input.name, kernelName], [1, outChannels, x.dims[2], x.dims[3]], { kernel_shape: { ints: [3, 3] }, pads: { ints: pads } });
  };
  const halve = (d: number) => (d < 0 ? -1 : Math.floor(d / 2));
  /** Numpy broadcasting's result, -1 where unknown. */
  const sameShape = (a: GraphValue, b: GraphValue) => {
    const [long, short] = a.dims.length >= b.dims.length ? [a.dims, b.dims] : [b.dims, a.dims];
    const offset = long.length - short.length;
    return long.map((d, i) => (i < offset || short[i - offset] === 1 ? d : d === 1 ? short[i - offset] : d < 0 ? short[i - offset] : d));
  };
  /** Spatial dims [H, W] of a value, as an int64 tensor computed at run time. */
  const spatialShape = (v: GraphValue) => node('Slice', [node('Shape', [v.name], [4]).name, int64s([2]), int64s([4])], [2]);

  const doubled = (v: GraphValue) => node('Mul', [spatialShape(v).name, int64s([2, 2])], [2]);

  const A: OnnxGraphBuilder = {
    convRelu(x, layer, padding = 'zero') {
      const k = kernel(layer);
      const conv = conv3x3(x, k.kernel, k.outChannels, padding, k.bias);
      return node('Relu', [conv.name], conv.dims);
    },
    convReluInputGradient(dy, y, layer, padding = 'zero') {
      const k = flippedKernel(layer);
      // The ReLU's mask [y > 0] as tanh(10³⁰·y), from ops that ONNX Runtime keeps in its blocked NCHWc layout
      // (a per-channel scale, fused with the tanh into one depthwise pass): a Greater/Where mask cost two
      // layout reorders per layer, 10 % of an evaluation. Exact at y = 0 and for y ≥ 10⁻²⁹, where tanh is
      // 1 in float32; only a unit within 10⁻²⁹ of its ReLU's kink gets a fraction of its gradient.
      const channels = y.dims[1];
      const big = initializer(`mask_scale_${channels}`, new Float32Array(channels).fill(1e30), [channels]);
      const zeros = initializer(`zeros_${channels}`, new Float32Array(channels), [channels]);
      const ones = initializer(`ones_${channels}`, new Float32Array(channels).fill(1), [channels]);
      const scaled = node('BatchNormalization', [y.name, big, zeros, zeros, ones], y.dims, { epsilon: 0 });
      const mask = node('Tanh', [scaled.name], y.dims);
      const masked = node('Mul', [dy.name, mask.name], dy.dims);
      return conv3x3(masked, k.kernel, k.inChannels, padding);
    },
    pool(x, pooling) {
      const op = pooling === 'max' ? 'MaxPool' : 'AveragePool';
      return node(op, [x.name], [1, x.dims[1], halve(x.dims[2]), halve(x.dims[3])], { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } });
    },
    poolGradient(dy, x, y, pooling) {
      const channels = x.dims[1];
      const [h, w] = [dy.dims[2], dy.dims[3]];
      const known = [...x.dims, h, w].every((d) => d >= 0);
      let parts: GraphValue[];
      if (pooling === 'avg') {
        const quarter = A.scale(dy, 0.25);
        parts = [quarter, quarter, quarter, quarter];
      } else {
        // The four positions of every window as channels ((i·2 + j)·C + c), then the first that equals the max.
        const windows = known ? A.trim(x, 0, x.dims[2] - 2 * h, 0, x.dims[3] - 2 * w) : node('Slice', [x.name, int64s([0, 0]), doubled(y).name, int64s([2, 3])], [1, channels, -1, -1]);
        const spread = node('SpaceToDepth', [windows.name], [1, 4 * channels, h, w], { blocksize: { int: 2 } });
        const corners = [0, 1, 2, 3].map(() => fresh('corner'));
        nodes.push({ op: 'Split', inputs: [spread.name], outputs: corners, attributes: { axis: { int: 1 } } });
        let untaken: GraphValue | undefined;
        parts = corners.map((corner, i) => {
          if (i === 3) return A.mul(dy, untaken!);
          const isMax = node('Cast', [node('Equal', [corner, y.name], y.dims).name], y.dims, { to: { int: 1 } });
          const taken = untaken ? A.mul(isMax, untaken) : isMax;
          untaken = untaken ? A.sub(untaken, taken) : node('Sub', [scalar(1), taken.name], y.dims);
          return A.mul(dy, taken);
        });
      }
      const joined = node('Concat', parts.map((p) => p.name), [1, 4 * channels, h, w], { axis: { int: 1 } });
      const dx = node('DepthToSpace', [joined.name], [1, channels, 2 * h, 2 * w], { blocksize: { int: 2 }, mode: 'DCR' });
      if (known) return A.pad(dx, 0, x.dims[2] - 2 * h, 0, x.dims[3] - 2 * w);
      // The odd last row and column that pooling dropped get no gradient: pad by x's size minus 2·y's.
      const odd = node('Sub', [spatialShape(x).name, doubled(y).name], [2]);
      const pads = node('Concat', [int64s([0, 0, 0, 0, 0, 0]), odd.name], [8], { axis: { int: 0 } });
      return node('Pad', [dx.name, pads.name], x.dims);
    },
    gram(f) {
      const channels = f.dims[1];
      const flat = node('Reshape', [f.name, int64s([channels, -1])], [channels, -1]);
      const transposed = node('Transpose', [flat.name], [-1, channels], { perm: { ints: [1, 0] } });
      return node('MatMul', [flat.name, transposed.name], [channels, channels]);
    },
    gramBackward(m, f) {
      const channels = f.dims[1];
      const flat = node('Reshape', [f.name, int64s([channels, -1])], [channels, -1]);
      const product = node('MatMul', [m.name, flat.name], [channels, -1]);
      return node('Reshape', [product.name, node('Shape', [f.name], [4]).name], f.dims);
    },
    channelSums(f) {
      const rows = node('ReduceSum', [f.name, int64s([3])], f.dims.slice(0, 3), { keepdims: { int: 0 } });
      const sums = node('ReduceSum', [rows.name, int64s([2])], f.dims.slice(0, 2), { keepdims: { int: 0 } });
      return node('Reshape', [sums.name, int64s([f.dims[1], 1])], [f.dims[1], 1]);
    },
    spreadChannels(v, like) {
      const column = node('Reshape', [v.name, int64s([1, v.dims[0], 1, 1])], [1, v.dims[0], 1, 1]);
      return node('Expand', [column.name, node('Shape', [like.name], [4]).name], like.dims);
    },
    add: (a, b) => node('Add', [a.name, b.name], sameShape(a, b)),
    sub: (a, b) => node('Sub', [a.name, b.name], sameShape(a, b)),
    mul: (a, b) => node('Mul', [a.name, b.name], sameShape(a, b)),
    scale: (a, factor) => (factor === 1 ? a : node('Mul', [a.name, scalar(factor)], a.dims)),
    shift: (a, c) => (c === 0 ? a : node('Add', [a.name, scalar(c)], a.dims)),
    pow: (a, p) => node('Pow', [a.name, scalar(p)], a.dims),
    sum(a) {
      let value = a;
      while (value.dims.length > 0) {
        value = node('ReduceSum', [value.name, int64s([value.dims.length - 1])], value.dims.slice(0, -1), { keepdims: { int: 0 } });
      }
      return value;
    },
    trim(a, top, bottom, left, right) {
      if (top === 0 && bottom === 0 && left === 0 && right === 0) return a;
      // Ends counted from the far edge, so a trim works on sizes known only at run time.
      const end = (margin: number) => (margin === 0 ? Number.MAX_SAFE_INTEGER : -margin);
      const less = (d: number, margin: number) => (d < 0 ? -1 : d - margin);
      return node('Slice', [a.name, int64s([top, left]), int64s([end(bottom), end(right)]), int64s([2, 3])], [a.dims[0], a.dims[1], less(a.dims[2], top + bottom), less(a.dims[3], left + right)]);
    },
    // Slices and Concat rather than Pad's 'wrap' mode: that needs opset 19, and these run on every provider.
    wrap(a, n) {
      const around = (v: GraphValue, axis: 2 | 3) => {
        const edge = (start: number, end: number) => node('Slice', [v.name, int64s([start]), int64s([end]), int64s([axis])], v.dims.map((d, i) => (i === axis ? n : d)));
        const dims = v.dims.map((d, i) => (i === axis && d >= 0 ? d + 2 * n : d));
        return node('Concat', [edge(-n, Number.MAX_SAFE_INTEGER).name, v.name, edge(0, n).name], dims, { axis: { int: axis } });
      };
      return around(around(a, 2), 3);
    },
    pad(a, top, bottom, left, right) {
      if (top === 0 && bottom === 0 && left === 0 && right === 0) return a;
      const dims = [a.dims[0], a.dims[1], a.dims[2] + top + bottom, a.dims[3] + left + right];
      return node('Pad', [a.name, int64s([0, 0, top, left, 0, 0, bottom, right])], dims);
    },
    zero: () => ({ name: scalar(0), dims: [] }),
    release: () => {},

    imageInput(name, height, width) {
      inputs.push({ name, dims: [1, height, width, 3] });
      const dims = [1, 3, typeof height === 'number' ? height : -1, typeof width === 'number' ? width : -1];
      return node('Transpose', [name], dims, { perm: { ints: [0, 3, 1, 2] } });
    },
    input(name, dims) {
      inputs.push({ name, dims });
      return { name, dims: dims.map((d) => (typeof d === 'number' ? d : -1)) };
    },
    constant(name, data, dims) {
      return { name: initializer(name, data, dims), dims };
    },
    output(name, value, { asImage = false } = {}) {
      const source = asImage ? node('Transpose', [value.name], [value.dims[0], value.dims[2], value.dims[3], value.dims[1]], { perm: { ints: [0, 2, 3, 1] } }) : value;
      nodes.push({ op: 'Identity', inputs: [source.name], outputs: [name] });
      outputs.push({ name, dims: source.dims.map((d, i) => (d < 0 ? `${name}_${i}` : d)) });
    },
    finish(name) {
      return { name, nodes, initializers, inputs, outputs };
    },
  };
  return A;
}
