// Multi-threaded (pthreads + SIMD) tfjs wasm backend for Node, without patching node_modules.
// Registers a backend (default name 'wasm-mt', or replace 'wasm') whose init (1) points Emscripten's
// pthread worker at a real file instead of the blob: URL tfjs makes (Node's worker_threads.Worker
// rejects blob: URLs: ERR_WORKER_PATH), (2) passes the factory script as a file path instead of a
// Blob as mainScriptUrlOrBlob, and (3) works around backend.cc's cap of
// emscripten_num_logical_cores()/2 threads.
import * as tf from '@tensorflow/tfjs-core';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';

const require = createRequire(import.meta.url);

export function registerThreadedWasm(threads: number, name = 'wasm-mt', priority = 3): void {
  const pkgDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const factoryPath = join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const wasmBinPath = join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.wasm');
  const { wasmWorkerContents } = require(join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js'));
  const workerPath = join(mkdtempSync(join(tmpdir(), 'tfjs-wasm-')), 'tfjs-backend-wasm-threaded-simd.worker.cjs');
  // The template literal turned "\n" escapes into real newlines; tfjs undoes that the same way.
  writeFileSync(workerPath, (wasmWorkerContents as string).replace(/\n/g, '\\n'));
  const factory = require(factoryPath);

  if (name === 'wasm') {
    tf.removeBackend('wasm');
  } else {
    // kernels are registered per backend name: copy the wasm kernels to the new name.
    for (const k of tf.getKernelsForBackend('wasm')) tf.registerKernel({ ...k, backendName: name });
  }
  tf.registerBackend(name, async () => {
    // backend.cc caps the pool at emscripten_num_logical_cores()/2 (assumes 2 hyperthreads per
    // core); in Node that is os.cpus().length, so on a 2-vCPU box the cap is 1 thread.
    // Report >= 2*threads logical cores while the module's static constructors run.
    const os = require('node:os');
    const realCpus = os.cpus;
    os.cpus = () => { const c = realCpus(); while (c.length < 2 * threads) c.push(c[0]); return c; };
    let module: any;
    try {
      module = await factory({
        locateFile: (p: string, prefix: string) =>
          p.endsWith('.worker.js') ? workerPath : p.endsWith('.wasm') ? wasmBinPath : prefix + p,
        // the pthread worker does importScripts(path) == indirect eval of the file
        mainScriptUrlOrBlob: factoryPath,
      });
    } finally {
      os.cpus = realCpus;
    }
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    // BackendWasm's constructor calls initWithThreadsCount(<value given to setThreadsCount>)
    wasmBackend.setThreadsCount(threads);
    const b = new wasmBackend.BackendWasm(module);
    (b as any).threads = module.tfjs.getThreadsCount();
    return b;
  }, priority);
}
