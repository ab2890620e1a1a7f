import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { shareIdentityData } from '@pastiche/core';
import { BACKEND_LABELS, type BackendName } from '../inPage/protocol.ts';

/**
 * The first of `backends` that starts in this worker, and why each one before it was passed over. WebGL
 * must render to float32 textures: with float16 only, the loss terms (far above 65504) overflow.
 */
export async function selectBackend(backends: BackendName[], wasmPaths?: string | Record<string, string>): Promise<{ backend: BackendName; skipped: string[] }> {
  const skipped: string[] = [];
  for (const backend of backends) {
    if (backend === 'wasm') {
      if (wasmPaths) setWasmPaths(wasmPaths as Parameters<typeof setWasmPaths>[0]);
      shareIdentityData('wasm');
    }
    if (!(await tf.setBackend(backend).catch(() => false))) {
      skipped.push(`${BACKEND_LABELS[backend]} unavailable`);
      continue;
    }
    if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) {
      skipped.push('WebGL without float32 textures');
      continue;
    }
    return { backend, skipped };
  }
  throw new Error(`no TensorFlow.js backend starts in this page (${skipped.join('; ')})`);
}
