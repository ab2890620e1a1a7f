import type { ObjectiveSettings, ScaleStyle, VggImage } from '../engines/types.ts';
import { NORMALIZATIONS } from './normalization.ts';
import type { VggStep } from '../vgg/architecture.ts';
import { sha256Hex } from '../weights/sha256Hex.ts';
import { featureShapes } from '../vgg/featureShapes.ts';
import type { StyleStatistics } from './styleRegions.ts';

/** A style image's raw sums at the style layers (targetsTileByTile's grams and, for Wasserstein, sums), over all its positions. */
export type MeasureStyle = (image: VggImage) => Promise<{ grams: Map<string, Float64Array>; sums: Map<string, Float64Array> }>;

/** How many of a scale's styles went through the network, and how many came from the cache. */
export interface StyleTargetCount {
  computed: number;
  reused: number;
}

/**
 * Normalised style statistics (S = G/d and the means) kept by an engine between scales and runs, keyed by the
 * style image's pixels and size and by every setting they depend on: a batch of contents painted at one size
 * with the same styles sends each style through the network once. A few entries are kept, newest last.
 */
export interface StyleStatisticsCache {
  readonly entries: Map<string, Omit<StyleStatistics, 'weight' | 'mask'>>;
  readonly capacity: number;
}

/** Eight styles at one size: the full depth's Grams are about 2.4 MB a style, so at most ~20 MB. */
export function createStyleStatisticsCache(capacity = 8): StyleStatisticsCache {
  return { entries: new Map(), capacity };
}

/**
 * Each style of weight above 0 with its Grams divided by the normalisation's divisor (and its means, for the
 * Wasserstein loss), from the cache where its image was measured under the same settings, else by `measure`.
 * `tileSize` is part of the key: tiled sums are exact, but float32 rounding differs by a few ulps.
 */
export async function styleStatistics(
  styles: ScaleStyle[],
  settings: ObjectiveSettings,
  steps: VggStep[],
  tileSize: number,
  cache: StyleStatisticsCache,
  measure: MeasureStyle,
): Promise<{ statistics: StyleStatistics[]; count: StyleTargetCount }> {
  const normalization = NORMALIZATIONS[settings.normalization];
  const count: StyleTargetCount = { computed: 0, reused: 0 };
  const statistics: StyleStatistics[] = [];
  for (const style of styles.filter((st) => st.weight > 0)) {
    const key = await styleKey(style.image, settings, tileSize);
    let found = cache.entries.get(key);
    if (found) {
      cache.entries.delete(key); // re-inserted below: the most recently used stays last
      count.reused++;
    } else {
      const out = await measure(style.image);
      const shapes = featureShapes(steps, style.image.height, style.image.width);
      const divisor = (layer: string) => normalization.gramDivisor(shapes.get(layer)!.height * shapes.get(layer)!.width);
      const normalised = (m: Map<string, Float64Array>) => new Map([...m].map(([layer, v]) => [layer, Float32Array.from(v, (x) => x / divisor(layer))]));
      found = { grams: normalised(out.grams), means: normalised(out.sums) };
      count.computed++;
    }
    cache.entries.set(key, found);
    while (cache.entries.size > cache.capacity) cache.entries.delete(cache.entries.keys().next().value!);
    statistics.push({ weight: style.weight, mask: style.mask, ...found });
  }
  return { statistics, count };
}

/** What a style's statistics depend on: its pixels and size, the style layers, pooling, normalisation, whether means are taken, and the tiling. */
async function styleKey(image: VggImage, s: ObjectiveSettings, tileSize: number): Promise<string> {
  const pixels = await sha256Hex(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength));
  return JSON.stringify([pixels, image.height, image.width, s.styleLayers, s.pooling, s.normalization, s.styleLoss === 'wasserstein', Number.isFinite(tileSize) ? tileSize : 0]);
}
