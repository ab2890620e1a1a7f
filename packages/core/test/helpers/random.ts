/** mulberry32, written out here so that tests do not depend on the code they check for their data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform values in [low, high). */
export function uniform(n: number, seed: number, low = 0, high = 1): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: n }, () => low + (high - low) * next());
}

/** k distinct integers in [0, n), seeded. */
export function sampleIndices(n: number, k: number, seed: number): number[] {
  const next = mulberry32(seed);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(k, n)) chosen.add(Math.floor(next() * n));
  return [...chosen];
}
