import * as ort from 'onnxruntime-web/webgpu';
import { checkLibraryVersion, createOnnxEngine, probeExecutionProvider, type CreateEngine } from '@pastiche/core';
import type { GpuAdapterLike } from '../findWebGpuAdapter.ts';

/**
 * onnxruntime-web's WebGPU provider on `adapter`, checked on a tiny graph so that a binary that cannot be
 * fetched or a provider that cannot start passes the choice to the next backend before any weights load.
 */
export async function startOnnxWebGpu(adapter: GpuAdapterLike, wasmBase: string): Promise<CreateEngine> {
  // The .wasm is fetched at the version ORT_WEB_BINARIES names, which must be the bundled glue's.
  const runtime = checkLibraryVersion('onnxruntime-web', ort.env.versions.web ?? 'unknown', 'packages/web-bridge/src/worker/onnxruntime');
  ort.env.wasm.wasmPaths = wasmBase;
  // Threads need cross-origin isolation (a Figma plugin never has it) and a module URL to start their
  // workers from (this bundle is a classic script); the GPU does the work anyway.
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  ort.env.webgpu.adapter = adapter as typeof ort.env.webgpu.adapter;
  const sessionOptions = { executionProviders: ['webgpu'], logSeverityLevel: 3 as const };
  await probeExecutionProvider(ort, sessionOptions);
  return createOnnxEngine({ ort, name: 'onnx-webgpu', runtime, sessionOptions, maxTensorBytes: adapter.limits.maxStorageBufferBindingSize });
}
