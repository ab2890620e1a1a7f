import * as tf from '@tensorflow/tfjs-core';
import type { Pooling } from '../vgg/architecture.ts';
import { releaseAfterBackward } from './releaseAfterBackward.ts';

const ATTRS = { filterSize: 2, strides: 2, pad: 'valid' };

/**
 * VGG's 2×2 stride-2 pooling, max or average, with tfjs's own pooling gradients (MaxPoolGrad,
 * AvgPoolGrad) run so that the backward frees its upstream gradient and output as it goes
 * (see releaseAfterBackward). The input is the previous convolution's output, which that
 * convolution's gradient still needs: it is left alone.
 */
export const pool2x2 = (x: tf.Tensor4D, pooling: Pooling): tf.Tensor4D => (pooling === 'max' ? maxPool2x2(x) : avgPool2x2(x));

const maxPool2x2 = tf.customGrad(((x: tf.Tensor4D, save: tf.GradSaveFunc) => {
  const y = tf.maxPool(x, 2, 2, 'valid');
  save([x, y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, [input, output]: tf.Tensor[]) => {
      const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, ATTRS as unknown as tf.NamedAttrMap) as tf.Tensor4D;
      releaseAfterBackward(dy, output);
      return [dx];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor4D) => tf.Tensor4D;

const avgPool2x2 = tf.customGrad(((x: tf.Tensor4D, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.avgPool(x, 2, 2, 'valid'),
    gradFunc: (dy: tf.Tensor, [input]: tf.Tensor[]) => {
      const dx = tf.engine().runKernel('AvgPoolGrad', { dy, input }, ATTRS as unknown as tf.NamedAttrMap) as tf.Tensor4D;
      releaseAfterBackward(dy);
      return [dx];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor4D) => tf.Tensor4D;
