import type { TensorAlgebra } from '../../src/objective/TensorAlgebra.ts';
import type { ConvWeightsByLayer } from '../../src/index.ts';

/** A float64 tensor: dims and row-major data (NCHW for images and features). */
export interface F64 {
  dims: number[];
  data: Float64Array;
}

export const f64 = (dims: number[], data: ArrayLike<number>): F64 => ({ dims, data: Float64Array.from(data) });

/** NHWC float32 image data → NCHW F64. */
export function imageToF64(data: ArrayLike<number>, height: number, width: number): F64 {
  const out = new Float64Array(3 * height * width);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) out[(c * height + y) * width + x] = data[(y * width + x) * 3 + c];
  return { dims: [1, 3, height, width], data: out };
}

/** NCHW F64 → NHWC, as the engines return gradients. */
export function f64ToImage(t: F64): Float64Array {
  const [, channels, height, width] = t.dims;
  const out = new Float64Array(t.data.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) out[(y * width + x) * channels + c] = t.data[(c * height + y) * width + x];
  return out;
}

/**
 * The objective's operations computed at once in float64 with plain loops, written from their
 * definitions: the reference every engine is compared with.
 */
export function createFloat64Algebra(weights: ConvWeightsByLayer): TensorAlgebra<F64> {
  /** a op b, b a scalar, a's shape, or [1, 1, H, W] position weights broadcast over a's channels. */
  const elementwise = (a: F64, b: F64, op: (x: number, y: number) => number): F64 => {
    if (a.data.length < b.data.length) return elementwise(b, a, (x, y) => op(y, x));
    const period = b.data.length;
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = op(a.data[i], b.data[i % period]);
    return { dims: a.dims, data: out };
  };
  const map = (a: F64, op: (x: number) => number): F64 => ({ dims: a.dims, data: a.data.map(op) });

  /**
   * 3×3 'same' convolution with K[ky][kx][i][o] (HWIO), optionally flipped and transposed (the input gradient);
   * beyond the edges zeros, or with `wrap` the opposite edge (indices modulo the sides).
   */
  const conv = (x: F64, layer: string, backward: boolean, wrap: boolean): F64 => {
    const w = weights.get(layer)!;
    const [, , ci, co] = w.kernelShape;
    const [inC, outC] = backward ? [co, ci] : [ci, co];
    const [, , h, wd] = x.dims;
    const out = new Float64Array(outC * h * wd);
    for (let o = 0; o < outC; o++) {
      for (let y = 0; y < h; y++) {
        for (let xx = 0; xx < wd; xx++) {
          let acc = backward ? 0 : w.bias[o];
          for (let ky = 0; ky < 3; ky++) {
            let sy = y + ky - 1;
            if (wrap) sy = (sy + h) % h;
            else if (sy < 0 || sy >= h) continue;
            for (let kx = 0; kx < 3; kx++) {
              let sx = xx + kx - 1;
              if (wrap) sx = (sx + wd) % wd;
              else if (sx < 0 || sx >= wd) continue;
              for (let i = 0; i < inC; i++) {
                // Forward: K[ky][kx][i][o]. Backward: dx[i'] = Σ_o' dy[o'] K[2−ky][2−kx][i'][o'] with i' = o, o' = i.
                const k = backward ? w.kernel[((2 - ky) * 3 + (2 - kx)) * ci * co + o * co + i] : w.kernel[(ky * 3 + kx) * ci * co + i * co + o];
                acc += k * x.data[(i * h + sy) * wd + sx];
              }
            }
          }
          out[(o * h + y) * wd + xx] = acc;
        }
      }
    }
    return { dims: [1, outC, h, wd], data: out };
  };

  const A: TensorAlgebra<F64> = {
    channelSums(f) {
      const [, c, h, w] = f.dims;
      const out = new Float64Array(c);
      for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) out[ch] += f.data[ch * h * w + p];
      return { dims: [c, 1], data: out };
    },
    spreadChannels(v, like) {
      const [, c, h, w] = like.dims;
      const out = new Float64Array(c * h * w);
      for (let ch = 0; ch < c; ch++) out.fill(v.data[ch], ch * h * w, (ch + 1) * h * w);
      return { dims: like.dims, data: out };
    },
    convRelu: (x, layer, padding) => map(conv(x, layer, false, padding === 'wrap'), (v) => Math.max(0, v)),
    convReluInputGradient: (dy, y, layer, padding) => conv(elementwise(dy, y, (d, v) => (v > 0 ? d : 0)), layer, true, padding === 'wrap'),
    pool(x, pooling) {
      const [, c, h, w] = x.dims;
      const [oh, ow] = [Math.floor(h / 2), Math.floor(w / 2)];
      const out = new Float64Array(c * oh * ow);
      for (let ch = 0; ch < c; ch++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
        const v = [0, 1, 2, 3].map((k) => x.data[(ch * h + 2 * y + (k >> 1)) * w + 2 * xx + (k & 1)]);
        out[(ch * oh + y) * ow + xx] = pooling === 'max' ? Math.max(...v) : (v[0] + v[1] + v[2] + v[3]) / 4;
      }
      return { dims: [1, c, oh, ow], data: out };
    },
    poolGradient(dy, x, _y, pooling) {
      const [, c, h, w] = x.dims;
      const [oh, ow] = [dy.dims[2], dy.dims[3]];
      const out = new Float64Array(x.data.length);
      for (let ch = 0; ch < c; ch++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
        const at = [0, 1, 2, 3].map((k) => (ch * h + 2 * y + (k >> 1)) * w + 2 * xx + (k & 1));
        const d = dy.data[(ch * oh + y) * ow + xx];
        if (pooling === 'avg') {
          for (const i of at) out[i] += d / 4;
        } else {
          let first = at[0];
          for (const i of at) if (x.data[i] > x.data[first]) first = i;
          out[first] += d;
        }
      }
      return { dims: x.dims, data: out };
    },
    gram(f) {
      const [, c, h, w] = f.dims;
      const n = h * w;
      const g = new Float64Array(c * c);
      for (let a = 0; a < c; a++) for (let b = a; b < c; b++) {
        let s = 0;
        for (let p = 0; p < n; p++) s += f.data[a * n + p] * f.data[b * n + p];
        g[a * c + b] = s;
        g[b * c + a] = s;
      }
      return { dims: [c, c], data: g };
    },
    gramBackward(m, f) {
      const [, c, h, w] = f.dims;
      const n = h * w;
      const out = new Float64Array(c * n);
      for (let a = 0; a < c; a++) for (let b = 0; b < c; b++) {
        const k = m.data[a * c + b];
        if (k === 0) continue;
        for (let p = 0; p < n; p++) out[a * n + p] += k * f.data[b * n + p];
      }
      return { dims: f.dims, data: out };
    },
    add: (a, b) => elementwise(a, b, (x, y) => x + y),
    sub: (a, b) => elementwise(a, b, (x, y) => x - y),
    mul: (a, b) => elementwise(a, b, (x, y) => x * y),
    scale: (a, k) => map(a, (x) => x * k),
    shift: (a, k) => map(a, (x) => x + k),
    pow: (a, p) => map(a, (x) => x ** p),
    sum: (a) => ({ dims: [], data: Float64Array.of(a.data.reduce((s, v) => s + v, 0)) }),
    trim(a, top, bottom, left, right) {
      const [, c, h, w] = a.dims;
      const [height, width] = [h - top - bottom, w - left - right];
      const out = new Float64Array(c * height * width);
      for (let ch = 0; ch < c; ch++) for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[(ch * height + y) * width + x] = a.data[(ch * h + top + y) * w + left + x];
      return { dims: [1, c, height, width], data: out };
    },
    wrap(a, n) {
      const [, c, h, w] = a.dims;
      const [H, W] = [h + 2 * n, w + 2 * n];
      const out = new Float64Array(c * H * W);
      for (let ch = 0; ch < c; ch++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[(ch * H + y) * W + x] = a.data[(ch * h + ((y - n + h) % h)) * w + ((x - n + w) % w)];
      return { dims: [1, c, H, W], data: out };
    },
    pad(a, top, bottom, left, right) {
      const [, c, h, w] = a.dims;
      const [H, W] = [h + top + bottom, w + left + right];
      const out = new Float64Array(c * H * W);
      for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(ch * H + top + y) * W + left + x] = a.data[(ch * h + y) * w + x];
      return { dims: [1, c, H, W], data: out };
    },
    zero: () => ({ dims: [], data: Float64Array.of(0) }),
    release: () => {},
  };
  return A;
}
