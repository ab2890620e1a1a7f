import type { ScaleObjective, VggImage } from '../engines/types.ts';
import type { VggStep } from '../vgg/architecture.ts';
import { gramTerm, type GramTermAlgebra, type ObjectivePlan, type PositionWeights, type TileWeights } from './objective.ts';
import { createWassersteinTerm, type WassersteinTarget } from './wassersteinTerm.ts';
import { featureShapes } from '../vgg/featureShapes.ts';
import type { Tile, TileLayout } from '../plan/layoutTiles.ts';

/** One tile as the engine's tile graphs take it. */
export interface TileInputs {
  /** The pixels the tile reads, interior and halo (NHWC, VGG input). */
  image: VggImage;
  /** The tile's position weights (objective.ts's TileWeights), [1, 1, h, w] each, row-major; the whole image's: no interior. */
  weights: TileWeights<Float32Array>;
  /** The content under the tile: its targets, or its pixels when the tile graphs compute them (see TiledContent). */
  content: TiledContent;
}

/**
 * P_l for the tiles: the whole image's content features by layer ([1, C, H_l, W_l]), cut to each tile; or,
 * when a scale is too big to keep them (planScales's contentPerTile), the content image, cut to each tile,
 * from which the tile graphs compute them (objective.ts's tileContentTargets): one more forward pass to the
 * content layers per tile and pass, in the memory of a tile.
 */
export type TiledContent = { features: Map<string, Float32Array> } | { image: VggImage };

/** What an engine runs for a tiled scale: objective.ts's tileTerms and tileGradient for one plan. */
export interface TilePasses {
  /**
   * The tile's content and TV terms and its Grams, one per style term, with their channel sums for the Wasserstein
   * loss (float32 from the engines; the tests' float64 reference keeps float64).
   */
  terms(tile: TileInputs): Promise<{ content: number; tv: number; grams: ArrayLike<number>[]; sums: ArrayLike<number>[] }>;
  /** dL/dx over the tile's pixels (NHWC), given dL/dG of each style term's Gram (and dL/ds of its sums: Wasserstein). */
  gradient(tile: TileInputs, gramGradients: Float32Array[], sumGradients: Float32Array[]): Promise<Float32Array>;
  dispose(): void;
}

/**
 * What the targets graph gives for one tile: features at the content layers, Grams of the interior's and, for
 * the Wasserstein loss, their channel sums.
 */
export type TileTargetsPass = (image: VggImage, interior: Float32Array) => Promise<{ content: Map<string, Float32Array>; grams: Map<string, Float32Array>; sums: Map<string, Float32Array> }>;

/**
 * Content features and (unnormalised) Grams and channel sums of a whole image, tile by tile: each tile's
 * interior features are written in place, its Grams and sums summed in float64.
 */
export async function targetsTileByTile(
  run: TileTargetsPass,
  steps: VggStep[],
  layout: TileLayout,
  image: VggImage,
  contentLayers: readonly string[],
  styleLayers: readonly string[],
): Promise<{ content: Map<string, Float32Array>; grams: Map<string, Float64Array>; sums: Map<string, Float64Array> }> {
  const shapes = featureShapes(steps, image.height, image.width);
  const content = new Map(contentLayers.map((l) => [l, new Float32Array(sizeOf(shapes.get(l)!))]));
  const grams = new Map(styleLayers.map((l) => [l, new Float64Array(shapes.get(l)!.channels ** 2)]));
  const sums = new Map<string, Float64Array>();
  for (const tile of layout.tiles) {
    const out = await run(cutImage(image, tile), interiorWeights(tile));
    for (const layer of contentLayers) writeInterior(out.content.get(layer)!, content.get(layer)!, steps, layer, tile, image);
    for (const layer of styleLayers) addInto(grams.get(layer)!, out.grams.get(layer)!);
    for (const [layer, part] of out.sums) {
      if (!sums.has(layer)) sums.set(layer, new Float64Array(part.length));
      addInto(sums.get(layer)!, part);
    }
  }
  return { content, grams, sums };
}

/**
 * The image as one part with no halo: the Wasserstein loss's untiled evaluation, two passes over the whole image
 * (its tile passes built for the image's size and padding; TileWeights without an interior).
 */
export function wholeImage(height: number, width: number): TileLayout {
  const all = (n: number) => ({ start: 0, end: n });
  return { halo: 0, alignment: 1, tiles: [{ rows: all(height), columns: all(width), interiorRows: all(height), interiorColumns: all(width) }] };
}

/**
 * The objective at one scale, evaluated tile by tile in two passes (see tileTerms in objective.ts): equal to
 * the untiled evaluation up to float32 rounding, in the memory of one tile. The Wasserstein loss is evaluated
 * this way whole too (`wholeImage`), its terms on the host in float64 between the passes.
 */
export function createTiledObjective(
  passes: TilePasses,
  plan: ObjectivePlan,
  layout: TileLayout,
  height: number,
  width: number,
  /** style: the Gram targets (none for the Wasserstein loss); wasserstein: its targets, in plan.style's order. */
  targets: { content: TiledContent; style: Float32Array[]; wasserstein?: WassersteinTarget[] },
  masks: PositionWeights<Float32Array>,
): ScaleObjective {
  const shapes = featureShapes(plan.steps, height, width);
  const [first] = layout.tiles;
  const { rows, columns } = first;
  // One tile reading the whole image is the whole image: its inputs are the scale's own, uncut.
  const whole = layout.tiles.length === 1 && rows.start === 0 && rows.end === height && columns.start === 0 && columns.end === width;
  // One image and one set of content targets (or content pixels) for every tile (all read the same extent),
  // refilled for each: fresh memory's page faults cost more than the copies (1.3 s of an 8 s evaluation at
  // 1024 px, measured).
  const tileImage = whole ? undefined : tilePixels(first);
  const cutContent = whole ? undefined : contentCutter(targets.content, plan, first, { height, width });
  const inputs = (x: Float32Array, tile: Tile): TileInputs =>
    whole
      ? { image: { height, width, data: x }, weights: { content: masks.content, regions: masks.regions }, content: targets.content }
      : { image: cutImage({ height, width, data: x }, tile, tileImage), weights: tileWeights(tile, height, width, masks), content: cutContent!(tile) };
  const styleTerms = plan.styleLoss === 'wasserstein' ? createWassersteinTerms(plan, targets.wasserstein) : createGramTerms(plan, targets.style);
  return {
    height,
    width,
    async evaluate(x) {
      if (x.length !== height * width * 3) throw new Error(`evaluate: expected ${height}×${width}×3 = ${height * width * 3} values, got ${x.length}`);
      let [content, tv] = [0, 0];
      const grams = plan.style.map(({ layer }) => new Float64Array(shapes.get(layer)!.channels ** 2));
      const sums = plan.style.map(({ channels }) => new Float64Array(channels));
      for (const tile of layout.tiles) {
        const out = await passes.terms(inputs(x, tile));
        content += out.content;
        tv += out.tv;
        grams.forEach((g, i) => addInto(g, out.grams[i]));
        out.sums.forEach((part, i) => addInto(sums[i], part));
      }
      const { style, gramGradients, sumGradients } = styleTerms(grams, sums);
      const gradient = new Float32Array(x.length);
      for (const tile of layout.tiles) addTile(gradient, height, width, tile, await passes.gradient(inputs(x, tile), gramGradients, sumGradients));
      return { terms: { total: content + style + tv, content, style, tv }, gradient };
    },
    dispose: () => passes.dispose(),
  };
}

/** gramTerm's operations on the host, in float64: C × C matrices, and scalars as one value. */
const float64Elementwise: GramTermAlgebra<Float64Array> = {
  sub: (a, b) => a.map((v, i) => v - b[i]),
  mul: (a, b) => a.map((v, i) => v * b[i]),
  scale: (a, k) => a.map((v) => v * k),
  shift: (a, c) => a.map((v) => v + c),
  sum: (a) => Float64Array.of(a.reduce((s, v) => s + v, 0)),
};

/**
 * The Gram terms of the whole image's Grams, on the host in float64 (objective.ts's gramTerm), and their dL/dG
 * for the second pass.
 */
function createGramTerms(plan: ObjectivePlan, targets: Float32Array[]) {
  const gramTargets = targets.map((t) => Float64Array.from(t));
  return (grams: Float64Array[]) => {
    let style = 0;
    const gramGradients = plan.style.map(({ factor, divisor, constant }, i) => {
      const term = gramTerm(float64Elementwise, grams[i], gramTargets[i], { factor, divisor, constant });
      style += term.value[0];
      return Float32Array.from(term.dG);
    });
    return { style, gramGradients, sumGradients: [] };
  };
}

/**
 * The Wasserstein terms of the whole image's moments (S = G/d, μ = s/d), on the host in float64
 * (wassersteinTerm.ts), and what the second pass takes: dL/dG = dL/dS / d (symmetric, as tileGradient assumes)
 * and dL/ds = dL/dμ / d.
 */
function createWassersteinTerms(plan: ObjectivePlan, targets: WassersteinTarget[] | undefined) {
  if (!targets || targets.length !== plan.style.length) throw new Error(`createTiledObjective: the Wasserstein loss needs one target per style term (${plan.style.length}), got ${targets?.length ?? 0}`);
  const terms = plan.style.map(({ channels }) => createWassersteinTerm(channels));
  return (grams: Float64Array[], sums: Float64Array[]) => {
    let style = 0;
    const gramGradients: Float32Array[] = [];
    const sumGradients: Float32Array[] = [];
    plan.style.forEach(({ factor, divisor }, i) => {
      const term = terms[i](grams[i].map((v) => v / divisor), sums[i].map((v) => v / divisor), targets[i], factor);
      style += term.value;
      gramGradients.push(Float32Array.from(term.dS, (v) => v / divisor));
      sumGradients.push(Float32Array.from(term.dMean, (v) => v / divisor));
    });
    return { style, gramGradients, sumGradients };
  };
}

/** Cuts the content under each tile into buffers of its own, refilled for every tile. */
function contentCutter(content: TiledContent, plan: ObjectivePlan, first: Tile, whole: { height: number; width: number }): (tile: Tile) => TiledContent {
  if ('image' in content) {
    const pixels = tilePixels(first);
    return (tile) => ({ image: cutImage(content.image, tile, pixels) });
  }
  const buffers = new Map(plan.content.map(({ layer }) => [layer, new Float32Array(sizeOf(layerWindow(plan.steps, layer, first, whole).tile))]));
  return (tile) => ({ features: new Map(plan.content.map(({ layer }) => [layer, cutFeatures(content.features.get(layer)!, plan.steps, layer, tile, whole, buffers.get(layer))])) });
}

const sizeOf = (s: { height: number; width: number; channels: number }) => s.channels * s.height * s.width;

function addInto(sum: Float64Array, part: ArrayLike<number>) {
  for (let i = 0; i < sum.length; i++) sum[i] += part[i];
}

/** An array for the pixels a tile reads, NHWC. */
const tilePixels = ({ rows, columns }: Tile) => new Float32Array((rows.end - rows.start) * (columns.end - columns.start) * 3);

/**
 * The cuts and pastes below read the image as periodic (indices modulo its sides): a seamless pattern's tiles
 * reach past its edges into the opposite ones (layoutTiles.ts); any other tile lies within the image.
 */
const wrapped = (i: number, n: number) => ((i % n) + n) % n;

/** Copies `count` positions of `size` values each from a row of `period` positions at `rowOffset`, from position `start` (any integer). */
function copyRow(from: Float32Array, rowOffset: number, period: number, start: number, count: number, size: number, to: Float32Array, toOffset: number) {
  for (let done = 0; done < count; ) {
    const at = wrapped(start + done, period);
    const n = Math.min(count - done, period - at);
    to.set(from.subarray(rowOffset + at * size, rowOffset + (at + n) * size), toOffset + done * size);
    done += n;
  }
}

/** The tile's pixels, NHWC (into `data` when given). */
function cutImage(image: VggImage, tile: Tile, data = tilePixels(tile)): VggImage {
  const { rows, columns } = tile;
  const [height, width] = [rows.end - rows.start, columns.end - columns.start];
  for (let y = 0; y < height; y++) {
    copyRow(image.data, wrapped(rows.start + y, image.height) * image.width * 3, image.width, columns.start, width, 3, data, y * width * 3);
  }
  return { height, width, data };
}

/** The interior's weights, and the content's and each region's cut to the tile times the interior. */
function tileWeights(tile: Tile, height: number, width: number, masks: PositionWeights<Float32Array>): TileWeights<Float32Array> {
  const interior = interiorWeights(tile);
  const under = (mask: Float32Array | undefined) => (mask ? cutWeights(mask, height, width, tile).map((v, i) => v * interior[i]) : interior);
  return { interior, content: under(masks.content), regions: masks.regions.map(under) };
}

/** Position weights of the whole image (height × width, row-major) under a tile. */
function cutWeights(all: Float32Array, height: number, width: number, { rows, columns }: Tile): Float32Array {
  const tileWidth = columns.end - columns.start;
  const out = new Float32Array((rows.end - rows.start) * tileWidth);
  for (let y = rows.start; y < rows.end; y++) copyRow(all, wrapped(y, height) * width, width, columns.start, tileWidth, 1, out, (y - rows.start) * tileWidth);
  return out;
}

function interiorWeights({ rows, columns, interiorRows, interiorColumns }: Tile): Float32Array {
  const width = columns.end - columns.start;
  const weights = new Float32Array((rows.end - rows.start) * width);
  for (let y = interiorRows.start; y < interiorRows.end; y++) {
    const row = (y - rows.start) * width;
    weights.fill(1, row + interiorColumns.start - columns.start, row + interiorColumns.end - columns.start);
  }
  return weights;
}

/** Where a tile's features sit in the whole image's at one layer: the offset and both sizes. */
function layerWindow(steps: VggStep[], layer: string, tile: Tile, whole: { height: number; width: number }) {
  const index = steps.findIndex((s) => s.name === layer);
  const stride = 2 ** steps.slice(0, index + 1).filter((s) => s.kind === 'pool').length;
  const tileShape = featureShapes(steps, tile.rows.end - tile.rows.start, tile.columns.end - tile.columns.start).get(layer)!;
  const wholeShape = featureShapes(steps, whole.height, whole.width).get(layer)!;
  return { stride, top: tile.rows.start / stride, left: tile.columns.start / stride, tile: tileShape, whole: wholeShape };
}

/** The whole image's features under a tile (NCHW, the tile's shape at that layer; into `out` when given). */
function cutFeatures(all: Float32Array, steps: VggStep[], layer: string, tile: Tile, whole: { height: number; width: number }, out?: Float32Array): Float32Array {
  const w = layerWindow(steps, layer, tile, whole);
  out ??= new Float32Array(sizeOf(w.tile));
  for (let c = 0; c < w.tile.channels; c++) {
    for (let y = 0; y < w.tile.height; y++) {
      const row = (c * w.whole.height + wrapped(w.top + y, w.whole.height)) * w.whole.width;
      copyRow(all, row, w.whole.width, w.left, w.tile.width, 1, out, (c * w.tile.height + y) * w.tile.width);
    }
  }
  return out;
}

/** Copies the positions of a tile's interior from its features into the whole image's. */
function writeInterior(part: Float32Array, all: Float32Array, steps: VggStep[], layer: string, tile: Tile, whole: { height: number; width: number }) {
  const w = layerWindow(steps, layer, tile, whole);
  const [top, bottom] = [tile.interiorRows.start / w.stride, Math.min(w.whole.height, Math.floor(tile.interiorRows.end / w.stride))];
  const [left, right] = [tile.interiorColumns.start / w.stride, Math.min(w.whole.width, Math.floor(tile.interiorColumns.end / w.stride))];
  for (let c = 0; c < w.tile.channels; c++) {
    for (let y = top; y < bottom; y++) {
      const from = (c * w.tile.height + y - w.top) * w.tile.width + left - w.left;
      all.set(part.subarray(from, from + right - left), (c * w.whole.height + y) * w.whole.width + left);
    }
  }
}

/** Adds a tile's gradient (NHWC, halo included: its interior's terms reach into it) into the whole image's. */
function addTile(gradient: Float32Array, height: number, width: number, { rows, columns }: Tile, part: Float32Array) {
  const tileWidth = columns.end - columns.start;
  for (let y = 0; y < rows.end - rows.start; y++) {
    const row = wrapped(rows.start + y, height) * width;
    for (let x = 0; x < tileWidth; x++) {
      const [to, from] = [(row + wrapped(columns.start + x, width)) * 3, (y * tileWidth + x) * 3];
      for (let c = 0; c < 3; c++) gradient[to + c] += part[from + c];
    }
  }
}
