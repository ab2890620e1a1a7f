import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'cpu' | 'wasm';

/** Switches to a backend and checks that it really is the one in use. */
export async function useBackend(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`could not set the ${name} backend (got ${tf.getBackend()})`);
  await tf.ready();
}
