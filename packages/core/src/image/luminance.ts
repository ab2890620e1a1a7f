import * as tf from '@tensorflow/tfjs-core';

// YIQ (NTSC), as in Gatys et al. 2016, "Preserving Color in Neural Artistic Style Transfer".
const RGB_TO_YIQ = [
  [0.299, 0.596, 0.211],
  [0.587, -0.274, -0.523],
  [0.114, -0.322, 0.312],
];
const YIQ_TO_RGB = [
  [1, 1, 1],
  [0.956, -0.272, -1.106],
  [0.621, -0.647, 1.703],
];

function mixChannels(image: tf.Tensor4D, matrix: number[][]): tf.Tensor4D {
  const [n, h, w] = image.shape;
  return tf.reshape(tf.matMul(tf.reshape(image, [-1, 3]), tf.tensor2d(matrix)), [n, h, w, 3]);
}

/** Luminance of RGB 0–255 as a grey RGB image (Y in all three channels). */
export function toGreyLuminance(rgb: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const y = tf.slice(mixChannels(rgb, RGB_TO_YIQ), [0, 0, 0, 0], [-1, -1, -1, 1]);
    return tf.tile(y, [1, 1, 1, 3]) as tf.Tensor4D;
  });
}

/** Shifts and scales the luminance of `grey` so its mean and std match those of `reference`. */
export function matchLuminance(grey: tf.Tensor4D, reference: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const a = tf.moments(grey);
    const b = tf.moments(reference);
    const scale = tf.div(tf.sqrt(b.variance), tf.sqrt(tf.add(a.variance, 1e-6)));
    return tf.add(tf.mul(tf.sub(grey, a.mean), scale), b.mean) as tf.Tensor4D;
  });
}

/** The luminance of `styled` with the chrominance (I, Q) of `colours`, both RGB 0–255 of the same size. */
export function combineLuminanceWithColours(styled: tf.Tensor4D, colours: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const y = tf.slice(mixChannels(styled, RGB_TO_YIQ), [0, 0, 0, 0], [-1, -1, -1, 1]);
    const iq = tf.slice(mixChannels(colours, RGB_TO_YIQ), [0, 0, 0, 1], [-1, -1, -1, 2]);
    return mixChannels(tf.concat([y, iq], 3) as tf.Tensor4D, YIQ_TO_RGB);
  });
}
