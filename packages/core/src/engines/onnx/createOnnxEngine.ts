import type { CreateEngine, Engine, ObjectiveSettings, ScaleObjective, VggImage } from '../../engine/types.ts';
import { NORMALIZATIONS } from '../../losses/normalization.ts';
import { blendStyleGrams } from '../../objective/blendStyleGrams.ts';
import { features, objective } from '../../objective/objective.ts';
import { featureShapes, planObjective, stepsThrough } from '../../objective/planObjective.ts';
import { checkLayersAvailable, findAvailableLayers } from '../../vgg/findAvailableLayers.ts';
import type { VggModelName, VggStep } from '../../vgg/architecture.ts';
import { PasticheInputError } from '../../request/PasticheInputError.ts';
import type { ConvWeightsByLayer } from '../../weights/types.ts';
import { createOnnxGraph } from './createOnnxGraph.ts';
import { encodeOnnxModel } from './encodeOnnxModel.ts';
import type { OrtApi, OrtSession, OrtSessionOptions } from './OrtApi.ts';

export interface OnnxEngineConfig {
  ort: OrtApi;
  /** The backend name users see: 'onnx-cpu', 'onnx-webgpu', … */
  name: string;
  /** Execution providers, threads: passed to every session as they are. */
  sessionOptions?: OrtSessionOptions;
  /**
   * The largest tensor the device holds, in bytes (a GPU's maxStorageBufferBindingSize): an image whose
   * activations would not fit is refused before anything runs, never answered with zeros.
   */
  maxTensorBytes?: number;
}

/**
 * The objective as ONNX graphs run by ONNX Runtime: one graph with dynamic image size gives the targets
 * (content features, style Grams) of any image; one graph per scale gives the three terms and the gradient,
 * with that scale's targets baked in, so an evaluation sends only the image.
 */
export function createOnnxEngine(config: OnnxEngineConfig): CreateEngine {
  return (model, weights) => onnxEngine(model, weights, config);
}

function onnxEngine(model: VggModelName, weights: ConvWeightsByLayer, { ort, name, sessionOptions = {}, maxTensorBytes = Infinity }: OnnxEngineConfig): Engine {
  const availableLayers = findAvailableLayers(model, weights);
  // Errors only: ORT warns on every WebGPU session that shape ops stay on the CPU, as designed. No memory
  // pattern: with it, the second run allocates the planned block while the arena still holds the first
  // run's buffers (512 px peak 1.9 GB instead of 1.6 GB, same speed).
  const options: OrtSessionOptions = { graphOptimizationLevel: 'all', logSeverityLevel: 3, enableMemPattern: false, ...sessionOptions };
  const checkLayers = (layers: readonly string[], field?: string) => checkLayersAvailable(model, availableLayers, layers, field);
  const live = new Set<OrtSession>();

  const run = (session: OrtSession, image: VggImage) => session.run({ image: new ort.Tensor('float32', image.data, [1, image.height, image.width, 3]) });

  /**
   * Content features and blended style Grams, from a graph that takes any image size. Its session is
   * released before the objective's opens (two weight copies at once would raise the peak by a model's
   * size) and has no memory arena: it runs once per image, and an arena would keep its activations.
   */
  const computeTargets = async (s: ObjectiveSettings, content: VggImage, styles: Array<{ image: VggImage; weight: number }>) => {
    const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
    const A = createOnnxGraph(weights);
    const F = features(A, steps, s.pooling, A.imageInput('image', 'height', 'width'));
    for (const layer of s.contentLayers) A.output(`content_${layer}`, F.get(layer)!);
    for (const layer of s.styleLayers) A.output(`gram_${layer}`, A.gram(F.get(layer)!));
    const session = await ort.InferenceSession.create(encodeOnnxModel(A.finish('pastiche_targets')), { ...options, enableCpuMemArena: false });
    const normalization = NORMALIZATIONS[s.normalization];
    const active = styles.filter((style) => style.weight > 0);
    const grams = new Map<string, Float32Array[]>(s.styleLayers.map((l) => [l, []]));
    try {
      const contentOut = await run(session, content);
      for (const style of active) {
        const out = await run(session, style.image);
        const shapes = featureShapes(steps, style.image.height, style.image.width);
        for (const layer of s.styleLayers) {
          const { height, width } = shapes.get(layer)!;
          const raw = out[`gram_${layer}`].data as Float32Array;
          const divisor = normalization.gramDivisor(height * width);
          grams.get(layer)!.push(divisor === 1 ? raw : raw.map((v) => v / divisor));
        }
      }
      return {
        content: new Map(s.contentLayers.map((layer) => [layer, contentOut[`content_${layer}`].data as Float32Array])),
        style: new Map([...grams].map(([layer, g]) => [layer, blendStyleGrams(g, active.map((a) => a.weight))])),
      };
    } finally {
      await session.release();
    }
  };

  /** The objective's graph at one size with the targets baked in: each run takes only the image. */
  const openObjectiveSession = (s: ObjectiveSettings, height: number, width: number, targets: Awaited<ReturnType<typeof computeTargets>>) => {
    const plan = planObjective(model, s, height, width, new Map([...targets.style].map(([l, b]) => [l, b.constant])));
    const shapes = featureShapes(plan.steps, height, width);
    const A = createOnnxGraph(weights);
    const constant = (name: string, layer: string, data: Float32Array, gram: boolean) => {
      const { height: h, width: w, channels } = shapes.get(layer)!;
      return A.constant(`${name}_${layer}`, data, gram ? [channels, channels] : [1, channels, h, w]);
    };
    const out = objective(
      A,
      plan,
      A.imageInput('image', height, width),
      {
        content: new Map(plan.content.map(({ layer }) => [layer, constant('target', layer, targets.content.get(layer)!, false)])),
        style: new Map(plan.style.map(({ layer }) => [layer, constant('gram', layer, targets.style.get(layer)!.gram, true)])),
      },
      height,
      width,
    );
    A.output('content', out.content);
    A.output('style', out.style);
    A.output('tv', out.tv);
    A.output('gradient', out.gradient, { asImage: true });
    return ort.InferenceSession.create(encodeOnnxModel(A.finish('pastiche_objective')), options);
  };

  return {
    name,
    model,
    availableLayers,
    checkLayers,
    async prepareScale(s, content, styles): Promise<ScaleObjective> {
      checkLayers(s.contentLayers, 'options.contentLayers');
      checkLayers(s.styleLayers, 'options.styleLayers');
      const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
      for (const [image, field] of [[content, 'content'], ...styles.map((st, i) => [st.image, `styles[${i}]`] as const)] as const) {
        checkFitsDevice(name, steps, image, maxTensorBytes, field);
      }
      const { height, width } = content;
      const session = await openObjectiveSession(s, height, width, await computeTargets(s, content, styles));
      live.add(session);
      return {
        height,
        width,
        async evaluate(image) {
          const r = await run(session, { height, width, data: image });
          const [c, st, tv] = [r.content, r.style, r.tv].map((t) => (t.data as Float32Array)[0]);
          return { terms: { total: c + st + tv, content: c, style: st, tv }, gradient: r.gradient.data as Float32Array };
        },
        dispose() {
          if (live.delete(session)) void session.release();
        },
      };
    },
    dispose() {
      for (const session of live) void session.release();
      live.clear();
    },
  };
}

/** Refuses an image whose largest activation (block 1: 64 channels at full size) exceeds the device's largest buffer. */
function checkFitsDevice(engine: string, steps: VggStep[], image: VggImage, maxTensorBytes: number, field: string) {
  const bytes = (h: number, w: number) => Math.max(...[...featureShapes(steps, h, w).values()].map((f) => f.channels * f.height * f.width * 4));
  if (bytes(image.height, image.width) <= maxTensorBytes) return;
  let side = Math.max(image.height, image.width);
  const aspect = Math.min(image.height, image.width) / side;
  while (side > 16 && bytes(side, Math.round(side * aspect)) > maxTensorBytes) side = Math.floor(side * 0.98);
  throw new PasticheInputError(
    field === 'content' ? 'options.size' : 'options.styleScale',
    `${engine}: a ${image.width}×${image.height} ${field} image needs a ${Math.ceil(bytes(image.height, image.width) / 2 ** 20)} MiB buffer; this device allows ${Math.floor(maxTensorBytes / 2 ** 20)} MiB (about ${side} px on the longest side); paint smaller or choose another backend`,
  );
}
