import * as ort from 'onnxruntime-web/webgpu';
import { createOnnxEngine, encodeOnnxModel, type CreateEngine } from '@pastiche/core';
import type { GpuAdapterLike } from './findWebGpuAdapter.ts';

/** A one-node graph (y = x + x): makes ORT fetch its binary and start the WebGPU provider, or say why not. */
const PROBE_MODEL = encodeOnnxModel({
  name: 'probe',
  nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
  initializers: [],
  inputs: [{ name: 'x', dims: [4] }],
  outputs: [{ name: 'y', dims: [4] }],
});

/**
 * onnxruntime-web's WebGPU provider on `adapter`, checked on a tiny graph so that a binary that cannot be
 * fetched or a provider that cannot start passes the choice to the next backend before any weights load.
 */
export async function startOnnxWebGpu(adapter: GpuAdapterLike, wasmBase: string): Promise<CreateEngine> {
  ort.env.wasm.wasmPaths = wasmBase;
  // Threads need cross-origin isolation (a Figma plugin never has it) and a module URL to start their
  // workers from (this bundle is a classic script); the GPU does the work anyway.
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  ort.env.webgpu.adapter = adapter as typeof ort.env.webgpu.adapter;
  const sessionOptions = { executionProviders: ['webgpu'], logSeverityLevel: 3 as const };
  const session = await ort.InferenceSession.create(PROBE_MODEL, sessionOptions);
  try {
    const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [4]) });
    if ((y.data as Float32Array).join() !== '2,4,6,8') throw new Error(`WebGPU computed ${(y.data as Float32Array).join()} for 2·[1, 2, 3, 4]`);
  } finally {
    await session.release();
  }
  return createOnnxEngine({ ort, name: 'onnx-webgpu', sessionOptions, maxTensorBytes: adapter.limits.maxStorageBufferBindingSize });
}
