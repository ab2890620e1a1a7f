import * as tf from '@tensorflow/tfjs-core';

/**
 * Frees an op's upstream gradient and its saved tensors as soon as its own gradient is computed.
 * tfjs keeps every gradient and saved tensor of a backward pass alive until the pass ends, which
 * doubles the peak memory of a VGG evaluation. Each of these is read only by the op that frees it:
 * the ops that consume an activation come after it on the tape, so their gradients run first.
 * Saved tensors are the engine's own references (tf.customGrad's save clones them), so freeing them
 * never frees a tensor the caller holds. Limits: the gradient must be taken once (not a gradient of a gradient), and an upstream dy passed
 * by the caller to tf.grad must not feed one of these ops directly (it would be freed).
 */
export function releaseAfterBackward(...tensors: tf.Tensor[]) {
  tf.dispose(tensors);
}
