import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { shareIdentityData } from '@pastiche/core';
import { BACKEND_LABELS, type BackendName } from '../inPage/protocol.ts';

/**
 * The first of `backends` that starts in this worker, and why each one before it was passed over. WebGL
 * must render to float32 textures: with float16 only, the loss terms (far above 65504) overflow. WebGL
 * drawn on the CPU (SwiftShader, llvmpipe: no GPU, or a blocklisted one) is passed over when WebAssembly
 * may follow: measured here, one 256 px VGG16 evaluation took about 90 s on SwiftShader and a few seconds
 * on WebAssembly.
 */
export async function selectBackend(backends: BackendName[], wasmPaths?: string | Record<string, string>): Promise<{ backend: BackendName; skipped: string[] }> {
  const skipped: string[] = [];
  for (const backend of backends) {
    const started = await Promise.resolve()
      .then(() => {
        if (backend !== 'wasm') return;
        if (wasmPaths) setWasmPaths(wasmPaths as Parameters<typeof setWasmPaths>[0]);
        shareIdentityData('wasm');
      })
      .then(() => tf.setBackend(backend))
      .catch(() => false);
    if (!started) {
      skipped.push(`${BACKEND_LABELS[backend]} unavailable`);
      continue;
    }
    if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) {
      skipped.push('WebGL without float32 textures');
      continue;
    }
    if (backend === 'webgl' && backends.slice(backends.indexOf('webgl') + 1).includes('wasm')) {
      const renderer = webglRenderer();
      const software = renderer?.match(SOFTWARE_RENDERER)?.[0];
      if (software) {
        skipped.push(`WebGL drawn on the CPU by ${software}`);
        continue;
      }
    }
    return { backend, skipped };
  }
  throw new Error(`no TensorFlow.js backend starts in this page (${skipped.join('; ')})`);
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software/i;

/** The WebGL renderer's name (the unmasked one where the browser gives it), from tfjs's own context. */
function webglRenderer(): string | undefined {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}
