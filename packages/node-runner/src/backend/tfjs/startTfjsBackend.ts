import * as tf from '@tensorflow/tfjs-core';
import os from 'node:os';
import type * as WasmBackendModule from '@tensorflow/tfjs-backend-wasm';
import { registerThreadedWasmBackend, threadedWasmThreads } from './registerThreadedWasmBackend.ts';

/** Makes TensorFlow.js's `cpu` or `wasm` backend the current one; returns the threads it runs on. */
export async function startTfjsBackend(name: 'wasm' | 'cpu'): Promise<number> {
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('backend cpu failed to initialise');
    await tf.ready();
    return 1;
  }
  return startWasm(await import('@tensorflow/tfjs-backend-wasm'));
}

/**
 * wasm on every core when there are several (threaded build, about 1.8× faster on two cores), else, or
 * if that fails to start, the single-threaded build. `wasm` is the imported package: a static import would
 * register its own backend before anyone chose it.
 */
async function startWasm(wasm: typeof WasmBackendModule): Promise<number> {
  const threads = os.availableParallelism();
  if (threads > 1) {
    try {
      if (await tf.setBackend(registerThreadedWasmBackend(threads, wasm))) {
        await tf.ready();
        return threadedWasmThreads();
      }
    } catch {
      // fall through to the single-threaded build
    }
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('backend wasm failed to initialise');
  await tf.ready();
  return 1;
}
