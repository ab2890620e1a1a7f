import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type * as WasmBackendModule from '@tensorflow/tfjs-backend-wasm';
import { registerThreadedWasmBackend, threadedWasmThreads } from './registerThreadedWasmBackend.ts';
import { shareIdentityData } from '@pastiche/core';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Each choice, best first: the package that provides it and the tfjs backend it registers. */
const CANDIDATES: Record<BackendName, { pkg: string; backend: string }> = {
  'tensorflow-gpu': { pkg: '@tensorflow/tfjs-node-gpu', backend: 'tensorflow' },
  tensorflow: { pkg: '@tensorflow/tfjs-node', backend: 'tensorflow' },
  wasm: { pkg: '@tensorflow/tfjs-backend-wasm', backend: 'wasm' },
  cpu: { pkg: '@tensorflow/tfjs-backend-cpu', backend: 'cpu' },
};

export interface BackendChoice {
  name: BackendName;
  /** Threads of the wasm backend (1 when it runs single-threaded); undefined for the others. */
  threads?: number;
  /** Better backends that did not load, and why. */
  skipped: Array<{ name: BackendName; reason: string }>;
}

/**
 * Loads the best backend that works here (or exactly the one asked for): tfjs-node-gpu, tfjs-node
 * (both optional dependencies whose install downloads libtensorflow), wasm, cpu.
 */
export async function selectBackend(preference: BackendName | 'auto' = 'auto'): Promise<BackendChoice> {
  const order = preference === 'auto' ? BACKEND_NAMES : [preference];
  const skipped: BackendChoice['skipped'] = [];
  for (const name of order) {
    const { pkg, backend } = CANDIDATES[name];
    try {
      if (backend === 'tensorflow') assertNativeBindingBuilt(pkg);
      const loaded = await import(pkg);
      if (name === 'wasm') return { name, skipped, threads: await startWasm(loaded) };
      if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
      await tf.ready();
      return { name, skipped };
    } catch (error) {
      skipped.push({ name, reason: describeLoadError(pkg, error) });
    }
  }
  const reasons = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`no TensorFlow.js backend could be loaded (${reasons})`);
}

/**
 * wasm on every core when there are several (threaded build, about 1.8× faster on two cores), else, or
 * if that fails to start, the single-threaded build.
 */
async function startWasm(wasm: typeof WasmBackendModule): Promise<number> {
  shareIdentityData('wasm'); // before the threaded backend copies wasm's kernels
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

/**
 * tfjs-node's install script downloads libtensorflow and builds its addon; when that did not happen the
 * package is present but unusable, and importing it anyway half-registers its kernels. node-pre-gyp's
 * `binary` field in its package.json says where the addon must be.
 */
function assertNativeBindingBuilt(pkg: string) {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const { binary } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { binary?: { module_name: string; module_path: string; napi_versions?: number[] } };
  if (!binary) return;
  const candidates = (binary.napi_versions ?? [0]).map((v) =>
    path.join(path.dirname(manifestPath), binary.module_path.replace('{napi_build_version}', String(v)), `${binary.module_name}.node`),
  );
  if (!candidates.some((file) => existsSync(file))) {
    throw new Error(`its native addon was not built (its install script, which downloads libtensorflow, did not run or failed)`);
  }
}

function describeLoadError(pkg: string, error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') return `${pkg} is not installed`;
  return (e?.message ?? String(error)).split('\n')[0];
}

/** One line for the user: which backend runs, and why better ones did not. */
export function describeBackendChoice(choice: BackendChoice): string {
  const why = choice.skipped.length ? ` (not used: ${choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : '';
  const threads = choice.threads ? `, ${choice.threads} thread${choice.threads > 1 ? 's' : ''}` : '';
  return `backend: ${choice.name}${threads}${why}`;
}
