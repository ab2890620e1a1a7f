import type { CreateEngine, Engine, ObjectiveSettings, ScaleObjective, ScaleStyle, VggImage } from '../types.ts';
import { objective, tileContentTargets, tileTargets, tileGradient, tileTerms, type ObjectivePlan, type PositionWeights } from '../../objective/objective.ts';
import { planObjective } from '../../plan/planObjective.ts';
import { featureShapes } from '../../vgg/featureShapes.ts';
import { vectorBytes } from '../../plan/estimateMemory.ts';
import { stepsThrough } from '../../vgg/stepsThrough.ts';
import { layoutTiles } from '../../plan/layoutTiles.ts';
import { gramTargets, styleRegions, wassersteinTargets } from '../../objective/styleRegions.ts';
import { createStyleStatisticsCache, styleStatistics } from '../../objective/styleStatistics.ts';
import { createTiledObjective, targetsTileByTile, wholeImage, type TiledContent, type TileTargetsPass, type TileInputs, type TilePasses } from '../../objective/tiledObjective.ts';
import { checkLayersAvailable, findAvailableLayers } from '../../vgg/findAvailableLayers.ts';
import type { VggModelName, VggStep } from '../../vgg/architecture.ts';
import { PasticheInputError } from '../../request/PasticheInputError.ts';
import type { ConvWeightsByLayer } from '../../weights/types.ts';
import { scaleTiles } from '../../plan/scaleTiles.ts';
import { createOnnxGraph, type OnnxGraphBuilder } from './createOnnxGraph.ts';
import { encodeOnnxModel, type OnnxGraph } from './encodeOnnxModel.ts';
import type { OrtApi, OrtSession, OrtSessionOptions, OrtTensor } from './OrtApi.ts';

export interface OnnxEngineConfig {
  ort: OrtApi;
  /** The backend name users see: 'onnx-cpu', 'onnx-webgpu', … */
  name: string;
  /** The library and its version, from the host's version check: 'onnxruntime-node 1.30.0' (Engine.runtime). */
  runtime?: string;
  /** Execution providers, threads: passed to every session as they are. */
  sessionOptions?: OrtSessionOptions;
  /**
   * The largest tensor the device holds, in bytes (a GPU's maxStorageBufferBindingSize): an image whose
   * activations would not fit is refused before anything runs, never answered with zeros.
   */
  maxTensorBytes?: number;
  /** Memory a run may use in all, bytes (planScales tiles what would need more). */
  memoryBytes?: number;
  /**
   * Collects garbage now, where the host can (Node): a session's model bytes (weights and all) are garbage
   * once ONNX Runtime has parsed them, and the optimiser's dropped image-sized arrays before a big image's
   * evaluation (COLLECT_BEFORE_EVALUATION_BYTES); nothing in an evaluation allocates enough on V8's own heap
   * to make it collect them.
   */
  collectGarbage?: () => void;
  /** Collect before each evaluation of an image whose float32 vector is at least this many bytes (default COLLECT_BEFORE_EVALUATION_BYTES). */
  collectBeforeEvaluationBytes?: number;
}

/**
 * Images whose float32 vector is at least this big have the host's garbage collected before each evaluation.
 * L-BFGS drops about five image-sized arrays per step (the last x, gradient and direction, the oldest pair),
 * which V8 keeps while ONNX Runtime allocates the activations beside them: the 2048 px scale tiled under 5 GB
 * went over its plan as its ArrayBuffers grew to 2.0 GB (docs/memory.md). A collection costs about 35 ms, under
 * 1 % of an evaluation this size on two cores (2048×1536: 15 s untiled).
 */
export const COLLECT_BEFORE_EVALUATION_BYTES = 32 * 2 ** 20;

/**
 * The objective as ONNX graphs run by ONNX Runtime: one graph with dynamic image size gives the targets
 * (content features, style Grams) of any image; one graph per scale gives the three terms and the gradient,
 * with that scale's style targets baked in, so an evaluation sends the image and the content targets.
 */
export function createOnnxEngine(config: OnnxEngineConfig): CreateEngine {
  return (model, weights) => onnxEngine(model, weights, config);
}

function onnxEngine(model: VggModelName, weights: ConvWeightsByLayer, { ort, name, runtime, sessionOptions = {}, maxTensorBytes = Infinity, memoryBytes, collectGarbage, collectBeforeEvaluationBytes = COLLECT_BEFORE_EVALUATION_BYTES }: OnnxEngineConfig): Engine {
  const availableLayers = findAvailableLayers(model, weights);
  // Errors only: ORT warns on every WebGPU session that shape ops stay on the CPU, as designed. No memory
  // pattern: with it, the second run allocates the planned block while the arena still holds the first
  // run's buffers (512 px peak 1.9 GB instead of 1.6 GB, same speed).
  const options: OrtSessionOptions = { graphOptimizationLevel: 'all', logSeverityLevel: 3, enableMemPattern: false, ...sessionOptions };
  const checkLayers = (layers: readonly string[], field?: string) => checkLayersAvailable(model, availableLayers, layers, field);
  const live = new Set<OrtSession>();
  const styleCache = createStyleStatisticsCache();

  const run = (session: OrtSession, image: VggImage, extra: Record<string, OrtTensor> = {}) =>
    session.run({ image: new ort.Tensor('float32', image.data, [1, image.height, image.width, 3]), ...extra });
  const positionWeights = (weights: Float32Array, image: VggImage) => new ort.Tensor('float32', weights, [1, 1, image.height, image.width]);
  const open = async (graph: OnnxGraph, extra: OrtSessionOptions = {}) => {
    const session = await ort.InferenceSession.create(encodeOnnxModel(graph), { ...options, ...extra });
    collectGarbage?.();
    return session;
  };

  /**
   * Content features (unless the tiles compute their own) and style regions with their blended Grams, from a
   * graph that takes any image (or tile) size, tiled where an image is larger than `tileSize`. Its session is
   * released before the objective's opens (two weight copies at once would raise the peak by a model's size)
   * and has no memory arena: it runs once per image, and an arena would keep its activations.
   */
  const computeTargets = async (s: ObjectiveSettings, content: VggImage, styles: ScaleStyle[], tileSize: number, contentPerTile: boolean) => {
    const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
    const A = createOnnxGraph(weights);
    const withSums = s.styleLoss === 'wasserstein';
    const out = tileTargets(A, steps, s.pooling, A.imageInput('image', 'height', 'width'), A.input('interior', [1, 1, 'height', 'width']), s.contentLayers, s.styleLayers, withSums);
    for (const [layer, f] of out.content) A.output(`content_${layer}`, f);
    for (const [layer, g] of out.grams) A.output(`gram_${layer}`, g);
    for (const [layer, sum] of out.sums) A.output(`sum_${layer}`, sum);
    const session = await open(A.finish('pastiche_targets'), { enableCpuMemArena: false });
    const runTile: TileTargetsPass = async (image, interior) => {
      const r = await run(session, image, { interior: positionWeights(interior, image) });
      const read = (prefix: string, layers: readonly string[]) => new Map(layers.map((l) => [l, r[`${prefix}_${l}`].data as Float32Array]));
      return { content: read('content', s.contentLayers), grams: read('gram', s.styleLayers), sums: read('sum', withSums ? s.styleLayers : []) };
    };
    const whole = (image: VggImage, contentLayers: readonly string[]) =>
      targetsTileByTile(runTile, steps, layoutTiles(steps, image.height, image.width, tileSize), image, contentLayers, s.styleLayers);
    try {
      const contentFeatures = contentPerTile ? undefined : (await whole(content, s.contentLayers)).content;
      const styled = await styleStatistics(styles, s, steps, tileSize, styleCache, (image) => whole(image, []));
      return { content: contentFeatures, regions: styleRegions(styled.statistics, s.styleLoss), styleTargets: styled.count };
    } finally {
      await session.release();
    }
  };
  type Targets = Awaited<ReturnType<typeof computeTargets>>;

  /**
   * The Gram objective's graph at one size, the style targets baked in. The content targets are inputs: as
   * constants ONNX Runtime would keep its own copy of them (33 MB at 512 px) beside ours.
   */
  const openObjectiveSession = async (plan: ObjectivePlan, height: number, width: number, targets: Targets, contentMask: Float32Array | undefined) => {
    const shapes = featureShapes(plan.steps, height, width);
    const A = createOnnxGraph(weights);
    const featureDims = (layer: string) => {
      const { height: h, width: w, channels } = shapes.get(layer)!;
      return [1, channels, h, w];
    };
    const out = objective(
      A,
      plan,
      A.imageInput('image', height, width),
      {
        content: new Map(plan.content.map(({ layer }) => [layer, A.input(`target_${layer}`, featureDims(layer))])),
        style: gramTargets(plan, targets.regions).map((matrix, i) => {
          const { channels } = shapes.get(plan.style[i].layer)!;
          return A.constant(`style${i}_${plan.style[i].layer}`, matrix, [channels, channels]);
        }),
      },
      {
        content: contentMask && A.constant('content_mask', contentMask, [1, 1, height, width]),
        regions: targets.regions.map(({ mask }, r) => mask && A.constant(`region_mask${r}`, mask, [1, 1, height, width])),
      },
      height,
      width,
    );
    A.output('content', out.content);
    A.output('style', out.style);
    A.output('tv', out.tv);
    A.output('gradient', out.gradient, { asImage: true });
    const session = await open(A.finish('pastiche_objective'));
    const feeds = Object.fromEntries(plan.content.map(({ layer }) => [`target_${layer}`, new ort.Tensor('float32', targets.content!.get(layer)!, featureDims(layer))]));
    return { session, feeds };
  };

  /**
   * The graphs of openTilePasses, built apart from it: its closures live as long as the scale, and would keep
   * the builders' kernels (a copy of the weights per graph, 110 MB for VGG16 to block5) if they shared its scope.
   */
  const tileGraphs = (plan: ObjectivePlan, height: number, width: number, contentPerTile: boolean, whole?: PositionWeights<Float32Array>) => {
    const regions = Math.max(0, ...plan.style.map((t) => t.region + 1));
    const at = featureShapes(plan.steps, height, width);
    const mask = (A: OnnxGraphBuilder, name: string, m: Float32Array | undefined) => m && A.constant(name, m, [1, 1, height, width]);
    const declare = (A: OnnxGraphBuilder) => ({
      x: A.imageInput('image', height, width),
      weights: whole
        ? { content: mask(A, 'content_mask', whole.content), regions: whole.regions.map((m, r) => mask(A, `region_mask${r}`, m)) }
        : {
            interior: A.input('interior', [1, 1, height, width]),
            content: A.input('content_weights', [1, 1, height, width]),
            regions: Array.from({ length: regions }, (_, r) => A.input(`region_weights${r}`, [1, 1, height, width])),
          },
      targets: contentPerTile
        ? tileContentTargets(A, plan, A.imageInput('content_image', height, width))
        : new Map(plan.content.map(({ layer }) => [layer, A.input(`target_${layer}`, [1, at.get(layer)!.channels, at.get(layer)!.height, at.get(layer)!.width])])),
    });
    const T = createOnnxGraph(weights);
    const t = declare(T);
    const termsOut = tileTerms(T, plan, t.x, t.weights, t.targets);
    T.output('content', termsOut.content);
    T.output('tv', termsOut.tv);
    termsOut.grams.forEach((g, i) => T.output(`gram${i}`, g));
    termsOut.sums.forEach((sum, i) => T.output(`sum${i}`, sum));
    const G = createOnnxGraph(weights);
    const g = declare(G);
    const gramGradients = plan.style.map(({ layer }, i) => G.input(`dgram${i}`, [at.get(layer)!.channels, at.get(layer)!.channels]));
    const sumGradients = plan.styleLoss === 'wasserstein' ? plan.style.map(({ layer }, i) => G.input(`dsum${i}`, [at.get(layer)!.channels, 1])) : [];
    G.output('gradient', tileGradient(G, plan, g.x, g.weights, g.targets, gramGradients, sumGradients), { asImage: true });
    return { terms: T.finish('pastiche_tile_terms'), gradient: G.finish('pastiche_tile_gradient') };
  };

  /**
   * The two tile graphs of one scale's plan, at the one size every tile reads (layoutTiles): static shapes let
   * ONNX Runtime plan its memory and layouts once (dynamic ones cost about 1.5× per evaluation). The content
   * targets under each tile are inputs, or with `contentPerTile` computed in the graph from the content's
   * pixels under it. With `whole` (the Wasserstein loss untiled), the two passes over the whole image: no
   * interior, its masks baked in.
   */
  const openTilePasses = async (plan: ObjectivePlan, height: number, width: number, contentPerTile: boolean, whole?: PositionWeights<Float32Array>): Promise<TilePasses> => {
    const at = featureShapes(plan.steps, height, width);
    const withSums = plan.styleLoss === 'wasserstein';
    const graphs = tileGraphs(plan, height, width, contentPerTile, whole);
    const terms = await open(graphs.terms);
    const gradient = await open(graphs.gradient);
    live.add(terms);
    live.add(gradient);
    const contentFeeds = (content: TiledContent): Record<string, OrtTensor> => {
      if ('image' in content) return { content_image: new ort.Tensor('float32', content.image.data, [1, height, width, 3]) };
      return Object.fromEntries(plan.content.map(({ layer }) => {
        const { height: h, width: w, channels: c } = at.get(layer)!;
        return [`target_${layer}`, new ort.Tensor('float32', content.features.get(layer)!, [1, c, h, w])];
      }));
    };
    const feeds = (tile: TileInputs) => {
      if (whole) return contentFeeds(tile.content);
      const { interior, content, regions: masks } = tile.weights;
      const regionWeights = masks.map((m, r) => [`region_weights${r}`, positionWeights(m!, tile.image)] as const);
      return { interior: positionWeights(interior!, tile.image), content_weights: positionWeights(content!, tile.image), ...Object.fromEntries(regionWeights), ...contentFeeds(tile.content) };
    };
    const scalar = (t: OrtTensor) => (t.data as Float32Array)[0];
    return {
      async terms(tile) {
        const r = await run(terms, tile.image, feeds(tile));
        const sums = withSums ? plan.style.map((_, i) => r[`sum${i}`].data as Float32Array) : [];
        return { content: scalar(r.content), tv: scalar(r.tv), grams: plan.style.map((_, i) => r[`gram${i}`].data as Float32Array), sums };
      },
      async gradient(tile, dG, dSums) {
        const grams = plan.style.map(({ layer }, i) => [`dgram${i}`, new ort.Tensor('float32', dG[i], [at.get(layer)!.channels, at.get(layer)!.channels])] as const);
        const sums = dSums.map((d, i) => [`dsum${i}`, new ort.Tensor('float32', d, [d.length, 1])] as const);
        const r = await run(gradient, tile.image, { ...feeds(tile), ...Object.fromEntries(grams), ...Object.fromEntries(sums) });
        return r.gradient.data as Float32Array;
      },
      dispose() {
        for (const session of [terms, gradient]) if (live.delete(session)) void session.release();
      },
    };
  };

  return {
    name,
    runtime,
    model,
    availableLayers,
    limits: { memoryBytes, maxTensorBytes: Number.isFinite(maxTensorBytes) ? maxTensorBytes : undefined },
    checkLayers,
    async prepareScale(s, content, styles, { tileSize = Infinity, contentMask, contentPerTile = false } = {}): Promise<ScaleObjective> {
      checkLayers(s.contentLayers, 'options.contentLayers');
      checkLayers(s.styleLayers, 'options.styleLayers');
      const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
      for (const [image, field] of [[content, 'content'], ...styles.map((st, i) => [st.image, `styles[${i}]`] as const)] as const) {
        checkFitsDevice(name, steps, image, maxTensorBytes, field, tileSize);
      }
      const { height, width } = content;
      const collecting = (objective: ScaleObjective): ScaleObjective =>
        collectGarbage && vectorBytes(height, width) >= collectBeforeEvaluationBytes ? { ...objective, evaluate: (x) => (collectGarbage(), objective.evaluate(x)) } : objective;
      const { layout, perTile } = scaleTiles(steps, content, tileSize, s, contentPerTile);
      const targets = await computeTargets(s, content, styles, tileSize, perTile);
      const plan = planObjective(model, s, height, width, targets.regions);
      const masks = { content: contentMask, regions: targets.regions.map((r) => r.mask) };
      const wasserstein = plan.styleLoss === 'wasserstein';
      const styleTargets = wasserstein ? { style: [], wasserstein: wassersteinTargets(plan, targets.regions) } : { style: gramTargets(plan, targets.regions) };
      if (layout.tiles.length > 1) {
        const [{ rows, columns }] = layout.tiles;
        const passes = await openTilePasses(plan, rows.end - rows.start, columns.end - columns.start, perTile);
        const tiledContent = targets.content ? { features: targets.content } : { image: content };
        const tiled = createTiledObjective(passes, plan, layout, height, width, { content: tiledContent, ...styleTargets }, masks);
        return collecting({ ...tiled, styleTargets: targets.styleTargets });
      }
      if (wasserstein) {
        // Its terms need the whole image's moments before the backward pass: two passes, the terms on the host.
        const passes = await openTilePasses(plan, height, width, false, masks);
        const twoPass = createTiledObjective(passes, plan, wholeImage(height, width), height, width, { content: { features: targets.content! }, ...styleTargets }, masks);
        return collecting({ ...twoPass, styleTargets: targets.styleTargets });
      }
      const { session, feeds } = await openObjectiveSession(plan, height, width, targets, contentMask);
      live.add(session);
      return collecting({
        height,
        width,
        styleTargets: targets.styleTargets,
        async evaluate(image) {
          const r = await run(session, { height, width, data: image }, feeds);
          const [c, st, tv] = [r.content, r.style, r.tv].map((t) => (t.data as Float32Array)[0]);
          return { terms: { total: c + st + tv, content: c, style: st, tv }, gradient: r.gradient.data as Float32Array };
        },
        dispose() {
          if (live.delete(session)) void session.release();
        },
      });
    },
    dispose() {
      for (const session of live) void session.release();
      live.clear();
    },
  };
}

/**
 * Refuses an image whose largest activation (block 1: 64 channels at full size; a tile's when tiled) exceeds
 * the device's largest buffer.
 */
function checkFitsDevice(engine: string, steps: VggStep[], image: VggImage, maxTensorBytes: number, field: string, tileSize: number) {
  const halo = layoutTiles(steps, 1, 1, tileSize).halo;
  const bytes = (h: number, w: number) => Math.max(...[...featureShapes(steps, Math.min(h, tileSize + 2 * halo), Math.min(w, tileSize + 2 * halo)).values()].map((f) => f.channels * f.height * f.width * 4));
  if (bytes(image.height, image.width) <= maxTensorBytes) return;
  let side = Math.max(image.height, image.width);
  const aspect = Math.min(image.height, image.width) / side;
  while (side > 16 && bytes(side, Math.round(side * aspect)) > maxTensorBytes) side = Math.floor(side * 0.98);
  throw new PasticheInputError(
    field === 'content' ? 'options.size' : 'options.styleScale',
    `${engine}: a ${image.width}×${image.height} ${field} image needs a ${Math.ceil(bytes(image.height, image.width) / 2 ** 20)} MiB buffer; this device allows ${Math.floor(maxTensorBytes / 2 ** 20)} MiB (about ${side} px on the longest side); paint smaller, tile it or choose another backend`,
  );
}
