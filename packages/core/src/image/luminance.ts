import type { FloatImage } from './types.ts';

// YIQ (NTSC), as in Gatys et al. 2016, "Preserving Color in Neural Artistic Style Transfer".
const luminanceOf = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/** Luminance of RGB 0–255 as a grey RGB image (Y in all three channels). */
export function toGreyLuminance(rgb: FloatImage): FloatImage {
  const data = new Float32Array(rgb.data.length);
  const src = rgb.data;
  for (let i = 0; i < data.length; i += 3) data[i] = data[i + 1] = data[i + 2] = luminanceOf(src[i], src[i + 1], src[i + 2]);
  return { width: rgb.width, height: rgb.height, data };
}

function moments(values: Float32Array): { mean: number; variance: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, variance: squares / values.length };
}

/** Shifts and scales the luminance of `grey` so its mean and std match those of `reference`. */
export function matchLuminance(grey: FloatImage, reference: FloatImage): FloatImage {
  const a = moments(grey.data);
  const b = moments(reference.data);
  const scale = Math.sqrt(b.variance) / Math.sqrt(a.variance + 1e-6);
  return { width: grey.width, height: grey.height, data: grey.data.map((v) => (v - a.mean) * scale + b.mean) };
}

/** The luminance of `styled` with the chrominance (I, Q) of `colours`, both RGB 0–255 of the same size. */
export function combineLuminanceWithColours(styled: FloatImage, colours: FloatImage): FloatImage {
  const data = new Float32Array(styled.data.length);
  const [s, c] = [styled.data, colours.data];
  for (let p = 0; p < data.length; p += 3) {
    const y = luminanceOf(s[p], s[p + 1], s[p + 2]);
    const i = 0.596 * c[p] - 0.274 * c[p + 1] - 0.322 * c[p + 2];
    const q = 0.211 * c[p] - 0.523 * c[p + 1] + 0.312 * c[p + 2];
    data[p] = y + 0.956 * i + 0.621 * q;
    data[p + 1] = y - 0.272 * i - 0.647 * q;
    data[p + 2] = y - 1.106 * i + 1.703 * q;
  }
  return { width: styled.width, height: styled.height, data };
}
