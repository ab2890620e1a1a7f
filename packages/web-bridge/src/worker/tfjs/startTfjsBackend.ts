import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ENGINES, type BrowserBackendName } from '@pastiche/core';
import { checkWebglVersion } from './checkWebglVersion.ts';

/**
 * Makes `backend` TensorFlow.js's current one. WebGL must render to float32 textures: with float16 only,
 * the loss terms (far above 65504) overflow.
 */
export async function startTfjsBackend(backend: Exclude<BrowserBackendName, 'onnx-webgpu'>, wasmPaths?: string | Record<string, string>): Promise<void> {
  if (backend === 'wasm' && wasmPaths) setWasmPaths(wasmPaths as Parameters<typeof setWasmPaths>[0]);
  if (!(await tf.setBackend(backend).catch(() => false))) throw new Error(`${ENGINES[backend].label} unavailable`);
  if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) throw new Error('WebGL without float32 textures');
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software/i;

/** The software rasteriser that draws the running WebGL backend (SwiftShader, llvmpipe…), if one does. */
export function webglSoftwareRenderer(): string | undefined {
  return webglRenderer()?.match(SOFTWARE_RENDERER)?.[0];
}

/**
 * The WebGL renderer's name (the unmasked one where the browser gives it), from tfjs's own context: the
 * backend's `gpgpu.gl` is not public API, so another tfjs-backend-webgl version is refused (checkWebglVersion).
 */
function webglRenderer(): string | undefined {
  checkWebglVersion();
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}
