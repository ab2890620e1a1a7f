import * as tf from '@tensorflow/tfjs-core';
import type * as WasmBackendModule from '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { checkTfjsVersion } from './checkTfjsVersion.ts';

export const THREADED_WASM_BACKEND = 'wasm-threaded';

const require = createRequire(import.meta.url);

/**
 * Registers tfjs's threaded SIMD wasm build as a backend for Node (tfjs 4.22 only enables threads in
 * browsers). Three things stand in the way, each worked around here and nowhere else:
 * - tfjs hands Emscripten its pthread worker as a blob: URL, which Node's worker_threads refuse, and the
 *   main script as a Blob: both are given as files here;
 * - the backend caps its pool at half the logical cores (it assumes hyper-threads): on a 2-core machine
 *   that is one thread, so the core count is doubled while the module starts;
 * - the pool's workers keep Node's event loop alive: they are unref'd.
 * The wasm kernels are registered again under this backend's name. None of this is tfjs's public API:
 * another version of tfjs-backend-wasm is refused (checkTfjsVersion). Returns the backend's name.
 */
export function registerThreadedWasmBackend(threads: number, wasm: typeof WasmBackendModule): string {
  if (tf.findBackendFactory(THREADED_WASM_BACKEND)) return THREADED_WASM_BACKEND;
  checkTfjsVersion('@tensorflow/tfjs-backend-wasm');
  const packageDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const file = (name: string) => path.join(packageDir, 'wasm-out', name);
  const factoryPath = file('tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(file('tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const workerDir = mkdtempSync(path.join(os.tmpdir(), 'pastiche-wasm-'));
  // Kept while the process lives (Emscripten may start a worker at any time), removed when it exits.
  process.once('exit', () => rmSync(workerDir, { recursive: true, force: true }));
  const workerPath = path.join(workerDir, 'worker.cjs');
  // The worker source is a template literal whose "\n" escapes became newlines; tfjs undoes it likewise.
  writeFileSync(workerPath, wasmWorkerContents.replace(/\n/g, '\\n'));
  const factory = require(factoryPath) as (options: object) => Promise<EmscriptenModule>;

  for (const kernel of tf.getKernelsForBackend('wasm')) tf.registerKernel({ ...kernel, backendName: THREADED_WASM_BACKEND });
  tf.registerBackend(THREADED_WASM_BACKEND, async () => {
    const realCpus = os.cpus;
    os.cpus = () => {
      const cpus = realCpus();
      while (cpus.length < 2 * threads) cpus.push(cpus[0]);
      return cpus;
    };
    let module: EmscriptenModule;
    try {
      module = await factory({
        locateFile: (name: string, prefix: string) =>
          name.endsWith('.worker.js') ? workerPath : name.endsWith('.wasm') ? file('tfjs-backend-wasm-threaded-simd.wasm') : prefix + name,
        mainScriptUrlOrBlob: factoryPath,
      });
    } finally {
      os.cpus = realCpus;
    }
    // The same bindings tfjs-backend-wasm's own init() makes.
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    wasm.setThreadsCount(threads);
    const backend = new wasm.BackendWasm(module as never);
    for (const worker of module.PThread.runningWorkers) worker.unref();
    return backend;
  }, 0);
  return THREADED_WASM_BACKEND;
}

/** Threads the running threaded wasm backend uses (0 when another backend runs). */
export function threadedWasmThreads(): number {
  if (tf.getBackend() !== THREADED_WASM_BACKEND) return 0;
  return (tf.backend() as unknown as { wasm: EmscriptenModule }).wasm.tfjs.getThreadsCount() as number;
}

interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => unknown;
  tfjs: Record<string, (...args: number[]) => unknown>;
  PThread: { runningWorkers: Array<{ unref(): void }> };
}
