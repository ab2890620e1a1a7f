import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const WORKER_ENTRY = fileURLToPath(new URL('../worker/engineWorker.ts', import.meta.url));

/**
 * The in-page engine's worker as one classic script (the core, TensorFlow.js and its webgl, wasm and cpu
 * backends inside), for a host's build (Node only): write it next to the page and pass its URL as
 * `workerUrl`, or inline it as a string and pass `workerUrlFromSource(source)` (what a single-file host
 * such as the Figma plugin does). The wasm backend's .wasm files are not inside: see `wasmPaths`.
 */
export async function buildWorkerBundle(options: { minify?: boolean; sourcemap?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [WORKER_ENTRY],
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
