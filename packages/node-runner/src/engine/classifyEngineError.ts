import { PasticheInputError } from '@pastiche/core';
import type { JobError } from '@pastiche/web-bridge/wire';

/** Messages the backends use when a tensor does not fit: tfjs-node ("OOM when allocating"), wasm memory growth, WebGL. */
const OUT_OF_MEMORY = /out of memory|\bOOM\b|maximum memory size exceeded|cannot enlarge memory|cannot allocate|failed to allocate|allocation failed/i;
/** A WebAssembly trap or an Emscripten abort: the module's memory may be corrupt, every later call suspect. */
const BROKEN_BACKEND = /memory access out of bounds|^Aborted\(|\bunreachable\b|divide by zero|integer overflow|RuntimeError/;

/**
 * Turns what a failed run threw into the job's error, worded for the user, and says whether the engine
 * must be replaced: after anything but a refused input its backend's state is not to be trusted (a wasm
 * trap leaves its memory corrupt; an allocation failure may leave it fragmented), and a fresh process
 * costs a weights load.
 */
export function classifyEngineError(error: unknown): { error: JobError; restart: boolean } {
  if (error instanceof PasticheInputError) return { error: { code: 'input', message: error.message, field: error.field }, restart: false };
  const message = String((error as Error)?.message ?? error).split('\n')[0];
  if (error instanceof WebAssembly.RuntimeError || BROKEN_BACKEND.test(message)) {
    return { error: { code: 'engine_crashed', message: `the engine's backend broke (${message}); it was restarted` }, restart: true };
  }
  if (OUT_OF_MEMORY.test(message)) {
    return { error: { code: 'out_of_memory', message: `the backend ran out of memory (${message}); try a smaller size or fewer scales` }, restart: true };
  }
  return { error: { code: 'internal', message }, restart: true };
}
