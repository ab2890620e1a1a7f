import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ENTRIES = {
  all: fileURLToPath(new URL('../worker/engineWorker.ts', import.meta.url)),
  withoutOnnx: fileURLToPath(new URL('../worker/engineWorkerWithoutOnnx.ts', import.meta.url)),
};

/**
 * The in-page engine's worker as one classic script (the core, ONNX Runtime Web's JavaScript and
 * TensorFlow.js with its webgl, wasm and cpu backends inside), for a host's build (Node only): write it
 * next to the page and pass its URL as `workerUrl`, or inline it as a string and pass
 * `workerUrlFromSource(source)` (what a single-file host such as the Figma plugin does). The .wasm files
 * are not inside: see `wasmPaths` and `ortWasmBase`. `onnx: false` leaves ONNX Runtime out, for hosts
 * without WebGPU (a data: URL page is not a secure context).
 */
export async function buildWorkerBundle(options: { minify?: boolean; sourcemap?: boolean; onnx?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [options.onnx === false ? ENTRIES.withoutOnnx : ENTRIES.all],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    minify: options.minify ?? true,
    sourcemap: options.sourcemap ? 'inline' : false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
