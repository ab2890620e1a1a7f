import { createTfjsEngine, type BrowserBackendName, type CreateEngine } from '@pastiche/core';
import type { BackendSetup } from '../inPage/protocol.ts';
import { findWebGpuAdapter } from './findWebGpuAdapter.ts';
import type { startOnnxWebGpu } from './onnxruntime/startOnnxWebGpu.ts';
import { startTfjsBackend, webglSoftwareRenderer } from './tfjs/startTfjsBackend.ts';

export type StartOnnxWebGpu = typeof startOnnxWebGpu;

export interface SelectedBackend {
  backend: BrowserBackendName;
  createEngine: CreateEngine;
  /** The GPU adapter, for onnx-webgpu. */
  device?: string;
  /** Why each backend before it was passed over. */
  skipped: string[];
}

/**
 * The first of `setup.backends` that starts in this worker, and why each one before it was passed over.
 * `startOnnxWebGpu`: given where the bundle carries ONNX Runtime. WebGL drawn on the CPU (SwiftShader,
 * llvmpipe: no GPU, or a blocklisted one) is passed over when WebAssembly may follow: measured here, one
 * 256 px VGG16 evaluation took about 90 s on SwiftShader and a few seconds on WebAssembly.
 */
export async function selectWorkerBackend(setup: BackendSetup, startOnnxWebGpu?: StartOnnxWebGpu): Promise<SelectedBackend> {
  const skipped: string[] = [];
  for (const backend of setup.backends) {
    try {
      if (backend === 'onnx-webgpu') {
        const { adapter, description, software } = await findWebGpuAdapter();
        // A software rasteriser paints, far slower than WebGL or the CPU: never chosen unless allowed.
        if (software && !setup.allowSoftwareGpu) throw new Error(`WebGPU on a software adapter (${description})`);
        if (!startOnnxWebGpu) throw new Error(`WebGPU (${description}), but this worker was built without ONNX Runtime`);
        return { backend, createEngine: await startOnnxWebGpu(adapter, setup.ortWasmBase), device: description, skipped };
      }
      await startTfjsBackend(backend, setup.wasmPaths);
      if (backend === 'webgl' && setup.backends.slice(setup.backends.indexOf('webgl') + 1).includes('wasm')) {
        const software = webglSoftwareRenderer();
        if (software) throw new Error(`WebGL drawn on the CPU by ${software}`);
      }
      return { backend, createEngine: (model, weights) => createTfjsEngine(model, weights, { name: backend }), skipped };
    } catch (error) {
      skipped.push((error as Error).message);
    }
  }
  throw new Error(`no backend starts in this page (${skipped.join('; ')})`);
}
