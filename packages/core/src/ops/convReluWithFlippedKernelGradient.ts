import * as tf from '@tensorflow/tfjs-core';
import { releaseAfterBackward } from './releaseAfterBackward.ts';

const FUSED_ATTRS = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1], activation: 'relu' };

/**
 * relu(conv2d(x, kernel, stride 1, 'same') + bias) whose input gradient is a forward convolution of the
 * masked upstream gradient with the kernel flipped spatially and its in/out channels swapped. That is the
 * exact gradient for a stride-1 'same' conv with an odd kernel, and runs far faster than
 * Conv2DBackpropInput on the wasm backend. The weights are constants: no gradient flows to them.
 * The backward frees what it reads as it goes (see releaseAfterBackward).
 * Takes ownership of kernel and bias: dispose() releases them.
 */
export function createConvRelu(kernel: tf.Tensor4D, bias: tf.Tensor1D) {
  const [kh, kw] = kernel.shape;
  if (kh % 2 === 0 || kw % 2 === 0) throw new Error(`kernel ${kh}×${kw}: the flipped-kernel gradient needs odd sizes`);
  const flipped = tf.tidy(() => tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2])) as tf.Tensor4D;

  const apply = tf.customGrad(((x: tf.Tensor4D, save: tf.GradSaveFunc) => {
    // The FusedConv2D kernel directly: tf.fused.conv2d falls back to conv2d + add + relu whenever a
    // gradient is being recorded, which is always the case here.
    const y = tf.engine().runKernel('FusedConv2D', { x, filter: kernel, bias }, FUSED_ATTRS as unknown as tf.NamedAttrMap) as tf.Tensor4D;
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [output]: tf.Tensor[]) => {
        // The ReLU's mask needs only the output; the convolution then needs neither.
        const dyBeforeRelu = tf.tidy(() => tf.mul(dy, tf.step(output))) as tf.Tensor4D;
        releaseAfterBackward(dy, output);
        const dx = tf.conv2d(dyBeforeRelu, flipped, 1, 'same');
        dyBeforeRelu.dispose();
        return [dx];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor4D) => tf.Tensor4D;

  return { apply, dispose: () => tf.dispose([kernel, bias, flipped]) };
}
