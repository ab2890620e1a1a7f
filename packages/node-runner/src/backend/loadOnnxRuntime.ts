import { encodeOnnxModel, type OrtApi } from '@pastiche/core';

export type OnnxRuntime = OrtApi & { listSupportedBackends(): Array<{ name: string; bundled: boolean }> };

let loaded: Promise<OnnxRuntime> | undefined;

/**
 * onnxruntime-node, once. Its npm package carries the CPU and WebGPU libraries for linux-x64, win32 (and
 * DirectML) and darwin-arm64 only; elsewhere (an Intel Mac, say) it cannot load and the tfjs engines remain.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  loaded ??= import('onnxruntime-node').then(
    (ort) => ort as unknown as OnnxRuntime,
    (error: Error) => {
      loaded = undefined;
      throw new Error(`onnxruntime-node did not load on ${process.platform}-${process.arch} (${error.message.split('\n')[0]})`);
    },
  );
  return loaded;
}

/** A one-node graph (y = x + x), enough to make an execution provider start or say why it cannot. */
const PROBE_MODEL = encodeOnnxModel({
  name: 'probe',
  nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
  initializers: [],
  inputs: [{ name: 'x', dims: [4] }],
  outputs: [{ name: 'y', dims: [4] }],
});

/** Starts the execution provider on a tiny graph and checks its answer; throws with ORT's reason. */
export async function probeExecutionProvider(ort: OnnxRuntime, provider: string): Promise<void> {
  const session = await ort.InferenceSession.create(PROBE_MODEL, { executionProviders: [provider] });
  try {
    const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [4]) });
    if ((y.data as Float32Array).join() !== '2,4,6,8') throw new Error(`the ${provider} provider computed ${(y.data as Float32Array).join()} for 2·[1, 2, 3, 4]`);
  } finally {
    await session.release();
  }
}
