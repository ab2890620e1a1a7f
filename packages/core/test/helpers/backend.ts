import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { shareIdentityData } from '../../src/index.ts';

export type BackendName = 'cpu' | 'wasm';

/** Switches to a backend, set up as the engines set it up, and checks that it really is the one in use. */
export async function useBackend(name: BackendName): Promise<void> {
  if (name === 'wasm') shareIdentityData('wasm');
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`could not set the ${name} backend (got ${tf.getBackend()})`);
  await tf.ready();
}
