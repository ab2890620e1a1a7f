import * as tf from '@tensorflow/tfjs-core';

/**
 * Resizes [1, h, w, c] to the given size. Downscaling first halves by 2×2 averaging while the image is
 * more than twice the target, so that large reductions average pixels instead of aliasing.
 */
export function resizeImage(image: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  return tf.tidy(() => {
    let x = image;
    while (x.shape[1] >= 2 * height && x.shape[2] >= 2 * width) x = tf.avgPool(x, 2, 2, 'valid');
    if (x.shape[1] === height && x.shape[2] === width) return x.clone();
    return tf.image.resizeBilinear(x, [height, width], false, true);
  });
}

/** The size with the longest side equal to `longestSide`, keeping the aspect ratio. */
export function fitLongestSide(height: number, width: number, longestSide: number): [number, number] {
  const scale = longestSide / Math.max(height, width);
  return [Math.max(1, Math.round(height * scale)), Math.max(1, Math.round(width * scale))];
}
