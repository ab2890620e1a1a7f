import { PasticheInputError } from '@pastiche/core';
import type { JobError } from './job.ts';

/** Messages the backends use when a tensor does not fit: tfjs-node ("OOM when allocating"), wasm (memory growth), WebGL. */
const OUT_OF_MEMORY = /out of memory|\bOOM\b|maximum memory size exceeded|cannot allocate|failed to allocate|allocation failed|memory access out of bounds/i;

/** Turns what a failed run threw into the job's error, worded for the user. */
export function classifyJobError(error: unknown): JobError {
  if (error instanceof PasticheInputError) return { code: 'input', message: error.message, field: error.field };
  const message = String((error as Error)?.message ?? error).split('\n')[0];
  if (OUT_OF_MEMORY.test(message)) {
    return { code: 'out_of_memory', message: `the backend ran out of memory (${message}); try a smaller size or fewer scales` };
  }
  return { code: 'internal', message };
}
