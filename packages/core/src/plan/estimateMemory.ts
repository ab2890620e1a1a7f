import { featureShapes } from '../vgg/featureShapes.ts';
import type { VggStep } from '../vgg/architecture.ts';

/** Bytes of float32 image-sized vectors: an image, its gradient, an L-BFGS pair's halves. */
export const vectorBytes = (height: number, width: number) => height * width * 3 * 4;

/** Bytes of one step's output, float32. */
const featureBytes = (f: { channels: number; height: number; width: number }) => f.channels * f.height * f.width * 4;

/** Bytes of every step's output at an input of height × width, float32. */
export function activationBytes(steps: VggStep[], height: number, width: number): number {
  let bytes = 0;
  for (const f of featureShapes(steps, height, width).values()) bytes += featureBytes(f);
  return bytes;
}

/** Bytes of the largest single activation (a GPU buffer must hold it). */
export function largestActivationBytes(steps: VggStep[], height: number, width: number): number {
  return Math.max(0, ...[...featureShapes(steps, height, width).values()].map(featureBytes));
}

/** Bytes of the conv weights of the steps, float32. */
export function weightBytes(steps: VggStep[]): number {
  return steps.reduce((sum, s) => sum + (s.kind === 'conv' ? (9 * s.inChannels + 1) * s.outChannels * 4 : 0), 0);
}

/**
 * Peak bytes of one evaluation in an engine, over the image vectors: the forward pass's activations are
 * kept for the backward pass, which makes as many again, plus the engine's own copies (ONNX Runtime's
 * blocked layout). Measured with onnx-cpu (`npm run bench -- --only memory`): 3.2× the activations, plus
 * the weights twice (forward and flipped kernels) and a fixed ~150 MB for the runtime.
 */
export function evaluationBytes(steps: VggStep[], height: number, width: number): number {
  return EVALUATION_ACTIVATION_FACTOR * activationBytes(steps, height, width) + 2 * weightBytes(steps) + RUNTIME_BYTES;
}

export const EVALUATION_ACTIVATION_FACTOR = 3.2;
export const RUNTIME_BYTES = 150 * 2 ** 20;

/**
 * Peak bytes of a tiled evaluation: the gradient pass of one tile (halo included) is the evaluation above
 * at the tile's size; the terms pass of the previous tile is released by then, apart from its session's
 * weights. `contentBytes`: the whole image's content targets, kept on the host, and the buffer each tile's
 * are cut into (`tileContentBytes`: 350 MB for tiles of 1376×1536 px); or, where the tiles compute their own,
 * the activations of the content's forward pass at the tile's size and the tile's content pixels. Measured at
 * 4096×3072 in 6 tiles: ONNX Runtime's part within 1 % of the estimate (docs/memory.md).
 */
export function tiledEvaluationBytes(steps: VggStep[], tileHeight: number, tileWidth: number, contentBytes: number, tileContentBytes: number): number {
  return evaluationBytes(steps, tileHeight, tileWidth) + weightBytes(steps) + contentBytes + tileContentBytes;
}

/** Bytes of the content targets of a height × width image at these layers, float32. */
export function contentTargetBytes(steps: VggStep[], contentLayers: readonly string[], height: number, width: number): number {
  const shapes = featureShapes(steps, height, width);
  return contentLayers.reduce((sum, layer) => sum + featureBytes(shapes.get(layer)!), 0);
}
