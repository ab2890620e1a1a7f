import * as tf from '@tensorflow/tfjs-core';

interface EngineState {
  gradientDepth: number;
  activeTape: Array<{ saved?: tf.Tensor[] }> | null;
}

/**
 * tfjs (4.22) keeps the tensors that kernels save for backprop on the engine's active tape, and disposes
 * them only when a backward pass completes. An error in the forward or backward pass (an out-of-memory
 * error, typically) abandons the tape with those tensors, and the next gradient computation replaces it
 * without disposing them: a leak that grows with every failed job. Outside a gradient computation
 * (always the case between awaits, gradients being synchronous), a tape left over is such a tape.
 * Returns how many tensors it released.
 */
export function releaseAbandonedGradientTape(): number {
  const state = (tf.engine() as unknown as { state: EngineState }).state;
  if (state.gradientDepth !== 0 || !state.activeTape) return 0;
  let released = 0;
  for (const node of state.activeTape) {
    for (const tensor of node.saved ?? []) {
      if (tensor.isDisposed) continue;
      tensor.dispose();
      released++;
    }
  }
  state.activeTape = null;
  return released;
}
