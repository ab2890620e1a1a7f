import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createTfjsEngine, type CreateEngine } from '@pastiche/core';
import { BACKEND_LABELS, type BackendName, type BackendSetup } from '../inPage/protocol.ts';
import { findWebGpuAdapter } from './findWebGpuAdapter.ts';
import type { startOnnxWebGpu } from './startOnnxWebGpu.ts';

export type StartOnnxWebGpu = typeof startOnnxWebGpu;

export interface SelectedBackend {
  backend: BackendName;
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
export async function selectBackend(setup: BackendSetup, startOnnxWebGpu?: StartOnnxWebGpu): Promise<SelectedBackend> {
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
      await startTfjs(backend, setup.wasmPaths);
      if (backend === 'webgl' && setup.backends.slice(setup.backends.indexOf('webgl') + 1).includes('wasm')) {
        const software = webglRenderer()?.match(SOFTWARE_RENDERER)?.[0];
        if (software) throw new Error(`WebGL drawn on the CPU by ${software}`);
      }
      return { backend, createEngine: (model, weights) => createTfjsEngine(model, weights, { name: backend }), skipped };
    } catch (error) {
      skipped.push((error as Error).message);
    }
  }
  throw new Error(`no backend starts in this page (${skipped.join('; ')})`);
}

/**
 * Makes `backend` TensorFlow.js's current one. WebGL must render to float32 textures: with float16 only,
 * the loss terms (far above 65504) overflow.
 */
async function startTfjs(backend: Exclude<BackendName, 'onnx-webgpu'>, wasmPaths?: string | Record<string, string>): Promise<void> {
  if (backend === 'wasm' && wasmPaths) setWasmPaths(wasmPaths as Parameters<typeof setWasmPaths>[0]);
  if (!(await tf.setBackend(backend).catch(() => false))) throw new Error(`${BACKEND_LABELS[backend]} unavailable`);
  if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) throw new Error('WebGL without float32 textures');
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software/i;

/** The WebGL renderer's name (the unmasked one where the browser gives it), from tfjs's own context. */
function webglRenderer(): string | undefined {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}
