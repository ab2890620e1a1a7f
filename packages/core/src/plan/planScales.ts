import type { EngineLimits } from '../engines/types.ts';
import { objectiveSteps } from './planObjective.ts';
import { stepsThrough } from '../vgg/stepsThrough.ts';
import { layoutTiles } from './layoutTiles.ts';
import { PasticheInputError } from '../request/PasticheInputError.ts';
import { defaultLbfgsHistory } from '../request/defaults.ts';
import type { ResolvedOptions } from '../request/types.ts';
import { activationBytes, contentTargetBytes, evaluationBytes, largestActivationBytes, tiledEvaluationBytes, vectorBytes } from './estimateMemory.ts';
import { estimateEvaluationMs } from './calibrateEvaluation.ts';
import { formatBytes } from './formatBytes.ts';
import type { ScalePlan } from './ScalePlan.ts';

/**
 * Image-sized float32 arrays the host holds at a scale's peak besides L-BFGS's two per pair, when the next
 * direction is computed: x and its gradient, the direction and its float64 work array (3), the best x, the
 * scale's start and its content image, and the last step's x, gradient, direction and dropped pair, garbage
 * until the next evaluation collects it (createOnnxEngine's COLLECT_BEFORE_EVALUATION_BYTES). Until session 14
 * 8 were counted (docs/memory.md, "What a poster holds"). Adam: x, m, v, the gradient, the best x,
 * the start and the content. Plus the style image, styleScale² of an image (one style is counted).
 */
const LBFGS_VECTORS = 12;
const ADAM_VECTORS = 7;

/** The fewest L-BFGS pairs a plan takes before it gives up for lack of memory. */
const MIN_HISTORY = 3;
/** The smallest tile interior tried, in multiples of the alignment. */
const MIN_TILE_ALIGNMENTS = 8;
/**
 * Tiles at least this many halos wide are worth fewer L-BFGS pairs: below it, the halo's recomputation
 * (((t + 2h)/t)² − 1) costs more than 30 % per evaluation, more than fewer pairs cost in convergence.
 */
const PREFERRED_TILE_HALOS = 16;

/**
 * Plans every scale to fit the memory budget (options.maxMemory, else the engine's) and the engine's
 * largest buffer: untiled where it fits (with fewer L-BFGS pairs if need be), else in tiles, with fewer
 * pairs rather than small tiles, and with the content targets kept where they fit, else computed per tile.
 * options.tileSize forces tiles of that side. Throws a PasticheInputError naming the budget and what the
 * size needs when nothing fits.
 */
export function planScales(options: ResolvedOptions, sizes: Array<[number, number]>, limits: EngineLimits = {}): ScalePlan[] {
  const budget = options.maxMemory ?? limits.memoryBytes ?? Infinity;
  const maxTensorBytes = limits.maxTensorBytes ?? Infinity;
  const steps = objectiveSteps(options);
  return sizes.map(([height, width]) => {
    const vector = vectorBytes(height, width);
    const optimizerBytes = (pairs: number) => ((options.optimizer === 'adam' ? ADAM_VECTORS : 2 * pairs + LBFGS_VECTORS) + options.styleScale ** 2) * vector;
    const wanted = options.optimizer === 'adam' ? 0 : (options.lbfgsHistory ?? defaultLbfgsHistory(height * width));
    const contentLayers = options.contentWeight > 0 ? options.contentLayers : [];
    const keptTargetBytes = contentTargetBytes(steps, contentLayers, height, width);
    const contentSteps = contentLayers.length > 0 ? stepsThrough(options.model, contentLayers) : [];
    const tiled = (side: number, contentPerTile: boolean) => {
      const { tiles } = layoutTiles(steps, height, width, side, options.seamless);
      const [{ rows, columns, interiorRows, interiorColumns }] = tiles;
      const [h, w] = [rows.end - rows.start, columns.end - columns.start];
      const interior = { height: interiorRows.end - interiorRows.start, width: interiorColumns.end - interiorColumns.start };
      const contentBytes = contentPerTile ? activationBytes(contentSteps, h, w) : keptTargetBytes;
      const tileContentBytes = contentPerTile ? vectorBytes(h, w) : contentTargetBytes(steps, contentLayers, h, w);
      return { tiles: tiles.length, interior, bytes: tiledEvaluationBytes(steps, h, w, contentBytes, tileContentBytes), largest: largestActivationBytes(steps, h, w) };
    };
    const plan = (tileSize: number | undefined, pairs: number, contentPerTile = false): ScalePlan => {
      const t = tileSize === undefined ? undefined : tiled(tileSize, contentPerTile);
      const engineBytes = t ? t.bytes : evaluationBytes(steps, height, width);
      const tiling = t && t.tiles > 1 ? { tileSize, tileInterior: t.interior, ...(contentPerTile ? { contentPerTile } : {}) } : {};
      return { height, width, ...tiling, tiles: t?.tiles ?? 1, lbfgsHistory: pairs, peakBytes: engineBytes + optimizerBytes(pairs) };
    };
    if (options.tileSize !== undefined) return plan(options.tileSize, wanted);

    const fits = (p: ScalePlan) => p.peakBytes <= budget && (p.tileSize === undefined ? largestActivationBytes(steps, height, width) : tiled(p.tileSize, false).largest) <= maxTensorBytes;
    const { alignment, halo } = layoutTiles(steps, 1, 1, 1);
    const smallest = MIN_TILE_ALIGNMENTS * alignment;
    const preferred = Math.min(Math.max(height, width), PREFERRED_TILE_HALOS * halo);
    /** The largest tile that fits with this many pairs: the peak grows with the tile's side, so bisect on it. */
    const largestTile = (pairs: number, contentPerTile: boolean) => {
      if (!fits(plan(smallest, pairs, contentPerTile))) return undefined;
      let [low, high] = [smallest, Math.max(height, width)];
      while (high - low > alignment) {
        const mid = Math.floor((low + high) / 2 / alignment) * alignment;
        if (fits(plan(mid, pairs, contentPerTile))) low = mid;
        else high = mid;
      }
      return plan(low, pairs, contentPerTile);
    };
    const pairsToTry = options.lbfgsHistory !== undefined || wanted === 0 ? [wanted] : Array.from({ length: wanted - MIN_HISTORY + 1 }, (_, i) => wanted - i);
    // Untiled with the most pairs that fit: a tiled evaluation costs 2–3× an untiled one (measured), fewer
    // pairs about 15 % more evaluations. Else tiles no smaller than worth their halo, with the content
    // targets kept if they fit (computing them per tile costs a forward pass to the content layers in each
    // pass), with the most pairs; else the tiles that fit and cost least per evaluation (halos and all).
    for (const pairs of pairsToTry) {
      const untiled = plan(undefined, pairs);
      if (fits(untiled)) return untiled;
    }
    // A seamless pattern's tiles read the periodic image: they keep the content's own targets (engines/types.ts).
    const contentModes = contentLayers.length > 0 && !options.seamless ? [false, true] : [false];
    const cost = (p: ScalePlan) => estimateEvaluationMs(p, 1, steps, contentLayers);
    let best: ScalePlan | undefined;
    for (const contentPerTile of contentModes) {
      for (const pairs of pairsToTry) {
        const tiledPlan = largestTile(pairs, contentPerTile);
        if (tiledPlan && (tiledPlan.tileSize ?? Infinity) >= preferred) return tiledPlan;
        if (tiledPlan && (!best || cost(tiledPlan) < cost(best))) best = tiledPlan;
      }
    }
    if (best) return best;
    const least = plan(smallest, pairsToTry[pairsToTry.length - 1], contentModes.length > 1);
    throw new PasticheInputError(
      'options.maxMemory',
      `a ${width}×${height} scale needs at least ${formatBytes(least.peakBytes)} (tiles of ${smallest} px, ${least.lbfgsHistory} L-BFGS pairs); the budget is ${formatBytes(budget)}: paint smaller or allow more memory`,
    );
  });
}
