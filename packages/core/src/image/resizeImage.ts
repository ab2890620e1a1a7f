import type { FloatImage } from './types.ts';

/**
 * Resizes a three-channel image. Downscaling first halves by 2×2 averaging while the image is at least
 * twice the target, so that large reductions average pixels instead of aliasing; the rest is bilinear
 * with half-pixel centres (tf.image.resizeBilinear with alignCorners false, halfPixelCenters true).
 * `periodic`: the image is one period of a pattern (a seamless result), so samples past an edge blend with
 * the opposite edge instead of repeating the edge pixel.
 */
export function resizeImage(image: FloatImage, height: number, width: number, periodic = false): FloatImage {
  let x = image;
  while (x.height >= 2 * height && x.width >= 2 * width) x = halve(x);
  if (x.height === height && x.width === width) return x === image ? { height, width, data: image.data.slice() } : x;
  return resizeBilinear(x, height, width, periodic);
}

/** The size with the longest side equal to `longestSide`, keeping the aspect ratio. */
export function fitLongestSide(height: number, width: number, longestSide: number): [number, number] {
  const scale = longestSide / Math.max(height, width);
  return [Math.max(1, Math.round(height * scale)), Math.max(1, Math.round(width * scale))];
}

/** 2×2 average pooling, stride 2, an odd last row or column dropped. */
function halve(image: FloatImage): FloatImage {
  const [height, width] = [Math.floor(image.height / 2), Math.floor(image.width / 2)];
  const data = new Float32Array(height * width * 3);
  const src = image.data;
  const row = image.width * 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 2 * y * row + 2 * x * 3;
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (src[i + c] + src[i + 3 + c] + src[i + row + c] + src[i + row + 3 + c]) / 4;
    }
  }
  return { height, width, data };
}

/** Where output index i samples the input: the two neighbours and the weight of the second. */
function sampling(inSize: number, outSize: number, periodic: boolean): { low: Int32Array; high: Int32Array; frac: Float64Array } {
  const [low, high, frac] = [new Int32Array(outSize), new Int32Array(outSize), new Float64Array(outSize)];
  const ratio = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const source = ratio * (i + 0.5) - 0.5;
    if (periodic) {
      const floor = Math.floor(source);
      [low[i], high[i], frac[i]] = [(floor + inSize) % inSize, (floor + 1 + inSize) % inSize, source - floor];
      continue;
    }
    low[i] = Math.max(0, Math.floor(source));
    high[i] = Math.min(inSize - 1, Math.ceil(source));
    frac[i] = source - low[i]; // negative before the first centre, where low = high
  }
  return { low, high, frac };
}

function resizeBilinear(image: FloatImage, height: number, width: number, periodic: boolean): FloatImage {
  const rows = sampling(image.height, height, periodic);
  const cols = sampling(image.width, width, periodic);
  const data = new Float32Array(height * width * 3);
  const src = image.data;
  const row = image.width * 3;
  for (let y = 0; y < height; y++) {
    const [top, bottom, dy] = [rows.low[y] * row, rows.high[y] * row, rows.frac[y]];
    for (let x = 0; x < width; x++) {
      const [left, right, dx] = [cols.low[x] * 3, cols.high[x] * 3, cols.frac[x]];
      for (let c = 0; c < 3; c++) {
        const upper = src[top + left + c] + (src[top + right + c] - src[top + left + c]) * dx;
        const lower = src[bottom + left + c] + (src[bottom + right + c] - src[bottom + left + c]) * dx;
        data[(y * width + x) * 3 + c] = upper + (lower - upper) * dy;
      }
    }
  }
  return { height, width, data };
}
