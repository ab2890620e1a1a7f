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
  // Errors only: ORT warns on every WebGPU session that shape ops stay on the CPU, as designed.
  const options: OrtSessionOptions = { graphOptimizationLevel: 'all', logSeverityLevel: 3, ...sessionOptions };
  const open = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, options);
  const checkLayers = (layers: readonly string[], field?: string) => checkLayersAvailable(model, availableLayers, layers, field);
  let targets: { key: string; session: Promise<OrtSession> } | undefined;
  const live = new Set<OrtSession>();

  /** The targets graph of these settings (kept while the settings stay the same: every scale of a run). */
  const targetsSession = (s: ObjectiveSettings) => {
    const key = JSON.stringify([s.pooling, s.contentLayers, s.styleLayers]);
    if (targets?.key !== key) {
      targets?.session.then((old) => old.release(), () => {});
      const A = createOnnxGraph(weights);
      const F = features(A, stepsThrough(model, [...s.contentLayers, ...s.styleLayers]), s.pooling, A.imageInput('image', 'height', 'width'));
      for (const layer of s.contentLayers) A.output(`content_${layer}`, F.get(layer)!);
      for (const layer of s.styleLayers) A.output(`gram_${layer}`, A.gram(F.get(layer)!));
      targets = { key, session: open(encodeOnnxModel(A.finish('pastiche_targets'))) };
      targets.session.catch(() => (targets = undefined));
    }
    return targets.session;
  };

  const run = async (session: OrtSession, image: VggImage) =>
    session.run({ image: new ort.Tensor('float32', image.data, [1, image.height, image.width, 3]) });

  return {
    name,
    model,
    availableLayers,
    checkLayers,
    async prepareScale(s, content, styles): Promise<ScaleObjective> {
      checkLayers(s.contentLayers, 'options.contentLayers');
      checkLayers(s.styleLayers, 'options.styleLayers');
      const normalization = NORMALIZATIONS[s.normalization];
      const steps = stepsThrough(model, [...s.contentLayers, ...s.styleLayers]);
      for (const [image, field] of [[content, 'content'], ...styles.map((st, i) => [st.image, `styles[${i}]`] as const)] as const) {
        checkFitsDevice(name, steps, image, maxTensorBytes, field);
      }
      const session = await targetsSession(s);

      const contentOut = await run(session, content);
      const grams = new Map<string, Float32Array[]>(s.styleLayers.map((l) => [l, []]));
      const active = styles.filter((style) => style.weight > 0);
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
      const blended = new Map([...grams].map(([layer, g]) => [layer, blendStyleGrams(g, active.map((a) => a.weight))]));

      const { height, width } = content;
      const plan = planObjective(model, s, height, width, new Map([...blended].map(([l, b]) => [l, b.constant])));
      const A = createOnnxGraph(weights);
      const x = A.imageInput('image', height, width);
      const contentShapes = featureShapes(plan.steps, height, width);
      const constantOf = (prefix: string, layer: string, data: Float32Array) => {
        const { height: h, width: w, channels } = contentShapes.get(layer)!;
        return A.constant(`${prefix}_${layer}`, data, prefix === 'gram' ? [channels, channels] : [1, channels, h, w]);
      };
      const out = objective(
        A,
        plan,
        x,
        {
          content: new Map(plan.content.map(({ layer }) => [layer, constantOf('target', layer, contentOut[`content_${layer}`].data as Float32Array)])),
          style: new Map(plan.style.map(({ layer }) => [layer, constantOf('gram', layer, blended.get(layer)!.gram)])),
        },
        height,
        width,
      );
      A.output('content', out.content);
      A.output('style', out.style);
      A.output('tv', out.tv);
      A.output('gradient', out.gradient, { asImage: true });
      const objectiveSession = await open(encodeOnnxModel(A.finish('pastiche_objective')));
      live.add(objectiveSession);

      return {
        height,
        width,
        async evaluate(image) {
          const r = await run(objectiveSession, { height, width, data: image });
          const [c, st, tv] = [r.content, r.style, r.tv].map((t) => (t.data as Float32Array)[0]);
          return { terms: { total: c + st + tv, content: c, style: st, tv }, gradient: r.gradient.data as Float32Array };
        },
        dispose() {
          if (live.delete(objectiveSession)) void objectiveSession.release();
        },
      };
    },
    dispose() {
      targets?.session.then((s) => s.release(), () => {});
      targets = undefined;
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
