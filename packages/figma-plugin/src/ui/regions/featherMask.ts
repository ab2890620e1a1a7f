/**
 * Softens a mask's edge: three box blurs of radius `radius` px across, then down (close to a gaussian of
 * that radius), on one value per pixel (0–255). Returns a new array; radius 0 returns a copy.
 */
export function featherMask(values: Uint8ClampedArray, width: number, height: number, radius: number): Uint8ClampedArray {
  const r = Math.round(radius);
  let current: Float32Array = Float32Array.from(values);
  if (r > 0) {
    for (let pass = 0; pass < 3; pass++) {
      current = boxBlur(current, width, height, r, 1, width); // along rows
      current = boxBlur(current, height, width, r, width, 1); // along columns
    }
  }
  return Uint8ClampedArray.from(current, (v) => Math.round(v));
}

/**
 * A running-sum box blur along `lines` lines of `length` values each; `step` is the distance between
 * neighbours in a line, `lineStep` between the starts of lines. Edges repeat the border value.
 */
function boxBlur(input: Float32Array, length: number, lines: number, r: number, step: number, lineStep: number): Float32Array {
  const output = new Float32Array(input.length);
  const size = 2 * r + 1;
  for (let line = 0; line < lines; line++) {
    const start = line * lineStep;
    const at = (i: number) => input[start + Math.min(length - 1, Math.max(0, i)) * step];
    let sum = 0;
    for (let i = -r; i <= r; i++) sum += at(i);
    for (let i = 0; i < length; i++) {
      output[start + i * step] = sum / size;
      sum += at(i + r + 1) - at(i - r);
    }
  }
  return output;
}
