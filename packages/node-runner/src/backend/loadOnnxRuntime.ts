import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { encodeOnnxModel, type OrtApi } from '@pastiche/core';

export type OnnxRuntime = OrtApi & { listSupportedBackends(): Array<{ name: string; bundled: boolean }> };

let loaded: Promise<OnnxRuntime> | undefined;

/**
 * onnxruntime-node, once. Its npm package carries the CPU and WebGPU libraries for linux-x64, win32 (and
 * DirectML) and darwin-arm64 only; elsewhere (an Intel Mac, say) it cannot load and the tfjs engines remain.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  loaded ??= import('onnxruntime-node').then(
    (ort) => {
      // Sessions report failures as exceptions; ORT's own log would repeat them on stderr.
      ort.env.logLevel = 'fatal';
      return ort as unknown as OnnxRuntime;
    },
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
  // Fatal only: a provider that cannot start is reported by the caller, not logged by ORT.
  const session = await ort.InferenceSession.create(PROBE_MODEL, { executionProviders: [provider], logSeverityLevel: 4 });
  try {
    const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [4]) });
    if ((y.data as Float32Array).join() !== '2,4,6,8') throw new Error(`the ${provider} provider computed ${(y.data as Float32Array).join()} for 2·[1, 2, 3, 4]`);
  } finally {
    await session.release();
  }
}

/**
 * The CUDA provider is not in onnxruntime-node's npm package: its install script downloads it (our
 * postinstall runs that script where an NVIDIA driver is). Where the library is missing, say so plainly.
 */
export function assertCudaProviderInstalled(): void {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
  const library = path.join(packageDir, 'bin', 'napi-v6', process.platform, process.arch, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so');
  if (!existsSync(library)) {
    throw new Error('ONNX Runtime\'s CUDA provider is not installed (npm install fetches it on machines with an NVIDIA driver and a network; `npm rebuild` retries)');
  }
}
