// A test worker: the in-page engine's onnx-webgpu engine (the modules engineWorker uses, in a classic
// worker like it) evaluated once on given images, for the browser test to compare with the float64 reference.
import { decodeConvWeights, readModelFiles, type ObjectiveSettings, type VggImage } from '@pastiche/core';
import { findWebGpuAdapter } from '../../src/worker/findWebGpuAdapter.ts';
import { startOnnxWebGpu } from '../../src/worker/onnxruntime/startOnnxWebGpu.ts';

export interface ParityRequest {
  ortWasmBase: string;
  /** Folder of the model's model.json and shards. */
  modelFolder: string;
  settings: ObjectiveSettings;
  content: VggImage;
  styles: Array<{ image: VggImage; weight: number }>;
  x: Float32Array;
}

export type ParityReply = { ok: true; device: string; terms: Record<string, number>; gradient: Float32Array } | { ok: false; message: string };

addEventListener('message', async ({ data: request }: MessageEvent<ParityRequest>) => {
  try {
    const { adapter, description } = await findWebGpuAdapter();
    const createEngine = await startOnnxWebGpu(adapter, request.ortWasmBase);
    const read = async (file: string) => new Uint8Array(await (await fetch(new URL(file, request.modelFolder))).arrayBuffer());
    const engine = await createEngine('vgg16', decodeConvWeights(await readModelFiles({ kind: 'reader', read })));
    const objective = await engine.prepareScale(request.settings, request.content, request.styles);
    const { terms, gradient } = await objective.evaluate(request.x);
    objective.dispose();
    engine.dispose();
    postMessage({ ok: true, device: description, terms: { ...terms }, gradient } satisfies ParityReply);
  } catch (error) {
    postMessage({ ok: false, message: String((error as Error).stack ?? error) } satisfies ParityReply);
  }
});
