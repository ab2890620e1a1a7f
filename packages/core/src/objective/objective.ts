import type { Pooling, VggStep } from '../vgg/architecture.ts';
import { stepsThrough } from '../vgg/stepsThrough.ts';
import type { Padding, TensorAlgebra } from './TensorAlgebra.ts';

/**
 * The objective of Gatys et al. (2015), with the regions of Gatys et al. (2017), forward and backward, in one place:
 *
 *   L(x) = Σ_content layers c_l · Σ w_l ⊙ (F_l(x) − P_l)²
 *        + Σ_style layers Σ_regions r  s_l,r · (Σ (G(m_r,l ⊙ F_l(x)) / d_l,r − A_l,r)² + k_l,r)
 *        + t · Σ_i,j ((x_i,j − x_i+1,j)² + (x_i,j − x_i,j+1)²)^1.25
 *
 * F_l: the VGG features at layer l (post-ReLU, [1, C, H, W]); P_l: the content's; G(F) = F·Fᵀ, the Gram matrix.
 * A region is where some styles paint: m_r (0–1 per pixel, average-pooled to each layer's resolution as the
 * features are pooled) weighs the positions of its Gram, A_l,r is its styles' Grams blended by weight, k_l,r
 * the constant that makes one blended target exact (see blendStyleGrams.ts). Styles without a mask form one
 * region with no mask at all: without masks, the objective is Gatys et al. (2015) exactly. w_l: the content
 * mask (how much of the content to keep where), or 1.
 * The factors c_l, s_l,r, d_l,r, t carry the loss and blend weights, the normalisation and each region's area
 * (plan/planObjective.ts). The gradient with respect to the image is written out, so that no engine needs autograd.
 *
 * The Wasserstein style loss (crowsonkb/style-transfer-pytorch) replaces each style term's Gram distance by the
 * Wasserstein-2 distance between Gaussians fitted to the features, per channel:
 *
 *   s_l,r · (‖μ − μ̄‖² + tr(Σ + Σ̄ − 2·(Σ̄^½ Σ Σ̄^½)^½)) / C,  μ = (m²⊙F)·1/d,  S = G(m⊙F)/d,  Σ = S − μμᵀ + εI
 *
 * with μ̄, Σ̄^½ and tr Σ̄ the target (the blended moments' Gaussian, blendStyleMoments.ts): μ and S are the
 * region's mask-weighted mean and second moment (the same weights m² as its guided Gram), sums over positions,
 * so tiles and regions stay exact as for the Gram. The matrix square roots need float64 (the matrix under the
 * root has condition numbers of 10⁸–10¹², docs/style-loss.md): the term and its gradient with respect to μ and
 * S are computed on the host, exactly, by an eigendecomposition (wassersteinTerm.ts), and an evaluation is two
 * passes over the image, whole or in tiles (tiledObjective.ts): tileTerms gives the moments, tileGradient takes
 * the term's gradient back through the network.
 *
 * Seamless patterns (padding 'wrap') treat the image as one period of a pattern: every 3×3 conv pads with the
 * opposite edge instead of zeros, and the TV term's differences wrap around (x_H−1,j − x_0,j, x_i,W−1 − x_i,0),
 * so no position is an edge and the result tiles. VGG's 2×2 stride-2 pooling has no padding: on sides that are
 * multiples of 2^pools (the schedule makes them so, plan/scaleSizes.ts) its windows never cross the
 * seam, and only the convs and the TV need the wrap. The targets are computed as always (zero padding): the
 * style images and the content are not periodic.
 */

/** The style term's distance: Gram matrices, or the Wasserstein-2 distance between the features' Gaussians. */
export type StyleLoss = 'gram' | 'wasserstein';

/** Everything about one scale's objective that is a number or a layer name. */
export interface ObjectivePlan {
  /** The network from its input to the deepest layer used, in order. */
  steps: VggStep[];
  pooling: Pooling;
  /** 'wrap': the seamless objective (circular convs, wrap-around TV); 'zero': Gatys et al.'s. */
  padding: Padding;
  /** Content layers and their factors c_l. */
  content: Array<{ layer: string; factor: number }>;
  styleLoss: StyleLoss;
  /**
   * One term per style layer and region: its factor s_l,r, Gram divisor d_l,r (Wasserstein: the moments')
   * and constant (Gram: the blend constant k_l,r; Wasserstein: tr Σ̄, with ε).
   */
  style: Array<{ layer: string; region: number; channels: number; factor: number; divisor: number; constant: number }>;
  /** t; 0 leaves the term out. */
  tvFactor: number;
}

export interface ObjectiveTargets<T> {
  /** P_l, by content layer. */
  content: Map<string, T>;
  /** A_l,r, C × C, one per style term, in plan.style's order. */
  style: T[];
}

/** Where terms apply, as position weights 0–1 [1, 1, H, W] at the image's resolution; absent: everywhere. */
export interface PositionWeights<T> {
  /** w: how strongly the content is kept at each position. */
  content?: T;
  /** m_r, by region (plan.style's `region`). */
  regions: Array<T | undefined>;
}

export interface ObjectiveOutputs<T> {
  content: T;
  style: T;
  tv: T;
  /** dL/dx, x's shape. */
  gradient: T;
}

/** Features at the requested layers, and every activation the backward pass reads. */
export function features<T>(A: TensorAlgebra<T>, steps: VggStep[], pooling: Pooling, x: T, padding: Padding = 'zero'): Map<string, T> {
  const activations = new Map<string, T>();
  let h = x;
  for (const step of steps) {
    h = step.kind === 'conv' ? A.convRelu(h, step.name, padding) : A.pool(h, pooling);
    activations.set(step.name, h);
  }
  return activations;
}

/** The Gram objective in one pass (the Wasserstein loss takes two: tileTerms and tileGradient). */
export function objective<T>(
  A: TensorAlgebra<T>,
  plan: ObjectivePlan,
  x: T,
  targets: ObjectiveTargets<T>,
  weights: PositionWeights<T>,
  imageHeight: number,
  imageWidth: number,
): ObjectiveOutputs<T> {
  if (plan.styleLoss !== 'gram') throw new Error(`objective(): the ${plan.styleLoss} style loss is evaluated in two passes (tileTerms, tileGradient)`);
  const F = features(A, plan.steps, plan.pooling, x, plan.padding);
  const W = weights.content && layerWeights(A, plan.steps, weights.content);
  const M = weights.regions.map((m) => m && layerWeights(A, plan.steps, m));

  // Each term's value, and its gradient with respect to the features of its layer.
  const { dF, addGradient } = layerGradients(A);

  let content = A.zero();
  for (const { layer, factor } of plan.content) {
    const term = contentTerm(A, F.get(layer)!, targets.content.get(layer)!, W?.get(layer), factor);
    content = A.add(content, term.value());
    addGradient(layer, term.gradient());
  }

  let style = A.zero();
  plan.style.forEach(({ layer, region, factor, divisor, constant }, i) => {
    const m = M[region]?.get(layer);
    const f = m ? A.mul(F.get(layer)!, m) : F.get(layer)!;
    const term = gramTerm(A, A.gram(f), targets.style[i], { factor, divisor, constant });
    style = A.add(style, term.value);
    // dG is symmetric, so dL/d(m⊙F) = (dG + dGᵀ)·(m⊙F) = 2·dG·(m⊙F), and dL/dF = m ⊙ that.
    const dMasked = A.gramBackward(A.scale(term.dG, 2), f);
    addGradient(layer, m ? released(A, A.mul(dMasked, m), dMasked, f) : dMasked);
  });

  const tv = imageHeight < 2 || imageWidth < 2 ? { value: A.zero() } : plan.padding === 'wrap' ? wrappedTotalVariation(A, x, plan.tvFactor) : totalVariation(A, x, plan.tvFactor);
  return { content, style, tv: tv.value, gradient: sumGradients(A, backward(A, plan, plan.padding, x, F, dF), tv.gradient) };
}

/**
 * Layer-sized values are released where they die, so that an eager engine holds the activations and little
 * else; small ones (Grams, scalars) are left to the engine.
 */
function released<T, R>(A: TensorAlgebra<T>, result: R, ...dead: T[]): R {
  for (const t of dead) A.release(t);
  return result;
}

/** dL/dF by layer, summed as the terms add theirs. */
function layerGradients<T>(A: TensorAlgebra<T>) {
  const dF = new Map<string, T>();
  const addGradient = (layer: string, g: T) => {
    const earlier = dF.get(layer);
    dF.set(layer, earlier === undefined ? g : released(A, A.add(earlier, g), earlier, g));
  };
  return { dF, addGradient };
}

function sumGradients<T>(A: TensorAlgebra<T>, network: T | undefined, tv: T | undefined): T {
  const gradient = network === undefined ? tv : tv === undefined ? network : A.add(network, tv);
  if (gradient === undefined) throw new Error('the objective has no term: every weight is 0');
  return gradient;
}

/**
 * One content term, c · Σ w ⊙ (F − P)² (w: the content weights at the layer; absent, 1), and its gradient with
 * respect to F, 2c · w ⊙ (F − P); each computed when asked: a tile's first pass takes the value, its second the
 * gradient. The gradient, asked last, releases what both read.
 */
function contentTerm<T>(A: TensorAlgebra<T>, F: T, P: T, w: T | undefined, factor: number) {
  const diff = A.sub(F, P);
  const weighted = w ? A.mul(diff, w) : diff;
  return {
    value(): T {
      const squares = A.mul(weighted, diff);
      return A.scale(released(A, A.sum(squares), squares), factor);
    },
    gradient: (): T => released(A, A.scale(weighted, 2 * factor), ...new Set([weighted, diff])),
  };
}

/** The elementwise operations gramTerm is written in: an engine's (TensorAlgebra), or the host's in float64 (tiledObjective.ts). */
export type GramTermAlgebra<T> = Pick<TensorAlgebra<T>, 'sub' | 'mul' | 'scale' | 'shift' | 'sum'>;

/**
 * One Gram term, s · (‖G/d − A‖² + k), and its gradient with respect to G, dL/dG = 2s·(G/d − A)/d, in elementwise
 * operations only: the objective runs it on the engine, tiled evaluation on the host in float64 on the whole
 * image's Grams (the sums of its tiles').
 */
export function gramTerm<T>(A: GramTermAlgebra<T>, G: T, target: T, { factor, divisor, constant }: { factor: number; divisor: number; constant: number }): { value: T; dG: T } {
  const diff = A.sub(A.scale(G, 1 / divisor), target);
  return { value: A.scale(A.shift(A.sum(A.mul(diff, diff)), constant), factor), dG: A.scale(diff, (2 * factor) / divisor) };
}

/**
 * Tiled evaluation (tiledObjective.ts) splits the image into tiles, each with a halo wide enough that the
 * features of its interior are exact. The terms are sums over positions, and a Gram matrix is the sum of
 * its tiles' Grams, so one evaluation is two passes over the tiles: the first sums each tile's interior
 * content and TV terms and Grams; with the whole image's Grams, dL/dG is known and the second pass sends it
 * (and the other terms' gradients) back through each tile. Position weights say which of the tile's
 * positions count and how much (see TileWeights). A tile's own convs always pad with zeros: under 'wrap' every
 * tile reads the periodic image, halo on every side (tiledObjective.ts), so its padding lies beyond its
 * interior's reach, and its TV's differences at the interior's last row and column reach into that halo.
 * The Wasserstein loss takes the same two passes over the whole image when it is not tiled: one part, no halo,
 * no interior weights, its convs and TV as the untiled objective has them (wrapped when seamless).
 */
export interface TileWeights<T> {
  /** 1 inside the tile's interior, 0 in its halo: [1, 1, h, w] at the tile's resolution; absent: the part is the whole image. */
  interior?: T;
  /** The content weights under the tile, times the interior; absent (the whole image only): 1 everywhere. */
  content?: T;
  /** Each region's mask under the tile (1 for the region everywhere), times the interior; absent (the whole image only): no mask. */
  regions: Array<T | undefined>;
}

export function tileTerms<T>(A: TensorAlgebra<T>, plan: ObjectivePlan, x: T, weights: TileWeights<T>, contentTargets: Map<string, T>): { content: T; tv: T; grams: T[]; sums: T[] } {
  const F = features(A, plan.steps, plan.pooling, x, partPadding(plan, weights));
  const W = weights.content && layerWeights(A, plan.steps, weights.content);
  const M = weights.regions.map((m) => m && layerWeights(A, plan.steps, m));
  let content = A.zero();
  for (const { layer, factor } of plan.content) content = A.add(content, contentTerm(A, F.get(layer)!, contentTargets.get(layer)!, W?.get(layer), factor).value());
  const maskOf = (i: number) => M[plan.style[i].region]?.get(plan.style[i].layer);
  const masked = plan.style.map(({ layer }, i) => (maskOf(i) ? A.mul(F.get(layer)!, maskOf(i)!) : F.get(layer)!));
  const grams = masked.map((f) => A.gram(f));
  // The Wasserstein terms' means need Σ m²·F too (the same weights as the Gram's).
  const sums = plan.styleLoss === 'wasserstein' ? masked.map((f, i) => A.channelSums(maskOf(i) ? A.mul(f, maskOf(i)!) : f)) : [];
  return { content, tv: partTotalVariation(A, plan, x, weights).value, grams, sums };
}

/** A tile's convs pad with zeros (see TileWeights); the whole image's as the plan says. */
const partPadding = (plan: ObjectivePlan, weights: TileWeights<unknown>): Padding => (weights.interior ? 'zero' : plan.padding);

/** The TV term over a tile's interior, or over the whole image as the untiled objective has it. */
function partTotalVariation<T>(A: TensorAlgebra<T>, plan: ObjectivePlan, x: T, weights: TileWeights<T>): { value: T; gradient?: T } {
  if (weights.interior) return totalVariation(A, x, plan.tvFactor, weights.interior);
  return plan.padding === 'wrap' ? wrappedTotalVariation(A, x, plan.tvFactor) : totalVariation(A, x, plan.tvFactor);
}

/**
 * A tile's share of the targets: features at the content layers (the whole tile's), and Grams of its interior
 * at the style layers with, where `withSums` (the Wasserstein loss), their channel sums.
 */
export function tileTargets<T>(A: TensorAlgebra<T>, steps: VggStep[], pooling: Pooling, x: T, interior: T, contentLayers: readonly string[], styleLayers: readonly string[], withSums = false) {
  const F = features(A, steps, pooling, x);
  const M = layerWeights(A, steps, interior);
  const masked = new Map(styleLayers.map((layer) => [layer, A.mul(F.get(layer)!, M.get(layer)!)]));
  return {
    content: new Map(contentLayers.map((layer) => [layer, F.get(layer)!])),
    grams: new Map([...masked].map(([layer, f]) => [layer, A.gram(f)])),
    sums: new Map(withSums ? [...masked].map(([layer, f]) => [layer, A.channelSums(f)]) : []),
  };
}

/**
 * P_l of a tile computed from the content's pixels under it, for a scale too big to keep the whole image's:
 * exact at the interior's positions, the only ones its weights count, as the features of x are there.
 */
export function tileContentTargets<T>(A: TensorAlgebra<T>, plan: ObjectivePlan, content: T): Map<string, T> {
  const layers = new Set(plan.content.map(({ layer }) => layer));
  const F = features(A, stepsThrough(plan.steps, [...layers]), plan.pooling, content);
  for (const [name, f] of F) if (!layers.has(name)) A.release(f);
  return new Map([...layers].map((layer) => [layer, F.get(layer)!]));
}

/**
 * The second pass over a tile: dL/dx of the tile's interior terms, given dL/dG of the whole image's Grams (one
 * per style term, symmetric) and, for the Wasserstein loss, dL/ds of their sums s = Σ m²·F (C × 1).
 */
export function tileGradient<T>(A: TensorAlgebra<T>, plan: ObjectivePlan, x: T, weights: TileWeights<T>, contentTargets: Map<string, T>, gramGradients: T[], channelSumGradients: T[] = []): T {
  const padding = partPadding(plan, weights);
  const F = features(A, plan.steps, plan.pooling, x, padding);
  const W = weights.content && layerWeights(A, plan.steps, weights.content);
  const M = weights.regions.map((m) => m && layerWeights(A, plan.steps, m));
  const { dF, addGradient } = layerGradients(A);
  for (const { layer, factor } of plan.content) addGradient(layer, contentTerm(A, F.get(layer)!, contentTargets.get(layer)!, W?.get(layer), factor).gradient());
  plan.style.forEach(({ layer, region }, i) => {
    const m = M[region]?.get(layer);
    // G = (m⊙F)(m⊙F)ᵀ, so dL/dF = m ⊙ 2·dG·(m⊙F); s = Σ m²·F adds m² ⊙ dL/ds at every position.
    const f = m ? A.mul(F.get(layer)!, m) : F.get(layer)!;
    const fromGram = A.gramBackward(A.scale(gramGradients[i], 2), f);
    const fromSums = plan.styleLoss === 'wasserstein' ? A.spreadChannels(channelSumGradients[i], f) : undefined;
    const df = fromSums ? A.add(fromGram, m ? A.mul(fromSums, m) : fromSums) : fromGram;
    addGradient(layer, m ? A.mul(df, m) : df);
  });
  return sumGradients(A, backward(A, plan, padding, x, F, dF), partTotalVariation(A, plan, x, weights).gradient);
}

/** Position weights [1, 1, h, w] at the resolution of every step's output, average-pooled like the features. */
function layerWeights<T>(A: TensorAlgebra<T>, steps: VggStep[], weights: T): Map<string, T> {
  const out = new Map<string, T>();
  let m = weights;
  for (const step of steps) {
    if (step.kind === 'pool') m = A.pool(m, 'avg');
    out.set(step.name, m);
  }
  return out;
}

/**
 * dL/dx from dL/dF at some layers: back through the network, deepest layer first, picking up each layer's own
 * gradient on the way. Past a layer, nothing reads its activation or its gradient again.
 */
function backward<T>(A: TensorAlgebra<T>, plan: ObjectivePlan, padding: Padding, x: T, F: Map<string, T>, dF: Map<string, T>): T | undefined {
  let g: T | undefined;
  for (let i = plan.steps.length - 1; i >= 0; i--) {
    const step = plan.steps[i];
    const output = F.get(step.name)!;
    const own = dF.get(step.name);
    if (own) g = g === undefined ? own : released(A, A.add(g, own), g, own);
    if (g !== undefined) {
      const input = i > 0 ? F.get(plan.steps[i - 1].name)! : x;
      g = released(A, step.kind === 'conv' ? A.convReluInputGradient(g, output, step.name, padding) : A.poolGradient(g, input, output, plan.pooling), g);
    }
    A.release(output);
  }
  return g;
}

/**
 * t · Σ w_i,j · s^1.25 with s = a² + b², a = x_i,j − x_i+1,j and b = x_i,j − x_i,j+1, over i < H−1, j < W−1 (as
 * the notebooks crop it); w: a tile's interior weights, or 1.
 */
function totalVariation<T>(A: TensorAlgebra<T>, x: T, t: number, weights?: T): { value: T; gradient?: T } {
  if (t === 0) return { value: A.zero() };
  const corner = A.trim(x, 0, 1, 0, 1);
  const a = A.sub(corner, A.trim(x, 1, 0, 0, 1));
  const b = A.sub(corner, A.trim(x, 0, 1, 1, 0));
  const s = A.add(A.mul(a, a), A.mul(b, b));
  const m = weights && A.trim(weights, 0, 1, 0, 1);
  const value = A.scale(A.sum(m ? A.mul(A.pow(s, 1.25), m) : A.pow(s, 1.25)), t);
  // ∂/∂a of t·s^1.25 = t·1.25·s^0.25·2a; x_i,j gets +∂a +∂b, x_i+1,j gets −∂a, x_i,j+1 gets −∂b.
  const w = A.scale(m ? A.mul(A.pow(s, 0.25), m) : A.pow(s, 0.25), 2.5 * t);
  const da = A.mul(w, a);
  const db = A.mul(w, b);
  const gradient = A.sub(A.sub(A.pad(A.add(da, db), 0, 1, 0, 1), A.pad(da, 1, 0, 0, 1)), A.pad(db, 0, 1, 1, 0));
  return { value, gradient };
}

/**
 * The seamless TV: t · Σ s^1.25 over every position, a and b now x_i,j − x_i+1,j and x_i,j − x_i,j+1 with the
 * indices modulo H and W (the last row's neighbour is the first). The wrapped image's trims are x's neighbours
 * below and to the right; the gradient's −∂a and −∂b go to those neighbours, i.e. from the position above and
 * to the left.
 */
function wrappedTotalVariation<T>(A: TensorAlgebra<T>, x: T, t: number): { value: T; gradient?: T } {
  if (t === 0) return { value: A.zero() };
  const around = A.wrap(x, 1);
  const a = A.sub(x, A.trim(around, 2, 0, 1, 1));
  const b = A.sub(x, A.trim(around, 1, 1, 2, 0));
  const s = A.add(A.mul(a, a), A.mul(b, b));
  const value = A.scale(A.sum(A.pow(s, 1.25)), t);
  const w = A.scale(A.pow(s, 0.25), 2.5 * t);
  const da = A.mul(w, a);
  const db = A.mul(w, b);
  const above = A.trim(A.wrap(da, 1), 0, 2, 1, 1);
  const left = A.trim(A.wrap(db, 1), 1, 1, 0, 2);
  return { value, gradient: A.sub(A.sub(A.add(da, db), above), left) };
}
