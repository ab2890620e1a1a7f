import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { fitLongestSide, fromVggInput, resizeImage, rgbaToRgb, rgbToRgba, toVggInput, type FloatImage } from '../src/index.ts';
import { combineLuminanceWithColours, matchLuminance, toGreyLuminance } from '../src/image/luminance.ts';
import { useBackend } from './helpers/backend.ts';
import { syntheticImage } from './helpers/images.ts';
import { uniform } from './helpers/random.ts';
import { maxAbsDifference } from './helpers/reference.ts';

/** What resizeImage did when it ran on tfjs: avgPool halvings, then resizeBilinear(alignCorners false, halfPixelCenters true). */
async function tfjsResize(image: FloatImage, height: number, width: number): Promise<Float32Array> {
  const out = tf.tidy(() => {
    let x = tf.tensor4d(image.data, [1, image.height, image.width, 3]);
    while (x.shape[1] >= 2 * height && x.shape[2] >= 2 * width) x = tf.avgPool(x, 2, 2, 'valid');
    return x.shape[1] === height && x.shape[2] === width ? x : tf.image.resizeBilinear(x, [height, width], false, true);
  });
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}

describe('image operations on typed arrays', () => {
  before(() => useBackend('cpu'));

  it("resizeImage equals tfjs's avgPool + resizeBilinear (half-pixel centres) when shrinking, enlarging and both", async () => {
    const image: FloatImage = { height: 13, width: 17, data: uniform(13 * 17 * 3, 7, 0, 255) };
    for (const [h, w] of [[5, 4], [6, 8], [3, 3], [13, 17], [20, 31], [9, 40], [1, 1]]) {
      const ours = resizeImage(image, h, w);
      assert.deepEqual([ours.height, ours.width, ours.data.length], [h, w, h * w * 3]);
      const expected = await tfjsResize(image, h, w);
      assert.ok(maxAbsDifference(ours.data, expected) < 1e-4, `${h}×${w}: max difference ${maxAbsDifference(ours.data, expected)}`);
    }
    const same = resizeImage(image, 13, 17);
    assert.notEqual(same.data, image.data, 'a same-size resize is a copy');
  });

  it('resizeImage of a pattern (periodic) blends the edges with the opposite ones; a shifted pattern resizes to the shifted result', () => {
    // One row of 4 pixels, one value per pixel (all three channels equal): 0, 40, 80, 120.
    const row = (values: number[]): FloatImage => ({ height: 1, width: values.length, data: Float32Array.from(values.flatMap((v) => [v, v, v])) });
    const up = resizeImage(row([0, 40, 80, 120]), 1, 8, true);
    const first = (image: FloatImage) => Array.from({ length: image.width }, (_, i) => image.data[3 * i]);
    // Output 0 samples source −0.25: 0.75·x0 + 0.25·x3; the last samples 3.25: 0.75·x3 + 0.25·x0.
    assert.deepEqual(first(up), [30, 10, 30, 50, 70, 90, 110, 90]);
    assert.deepEqual(first(resizeImage(row([0, 40, 80, 120]), 1, 8)).slice(0, 1).concat(first(resizeImage(row([0, 40, 80, 120]), 1, 8)).slice(-1)), [0, 120], 'not periodic: the edges repeat');
    assert.deepEqual(first(resizeImage(row([120, 0, 40, 80]), 1, 8, true)), [110, 90, 30, 10, 30, 50, 70, 90], 'the source shifted by one pixel: the result by two');
  });

  it('fitLongestSide keeps the aspect ratio and never gives 0', () => {
    assert.deepEqual(fitLongestSide(768, 1024, 512), [384, 512]);
    assert.deepEqual(fitLongestSide(1000, 10, 50), [50, 1]);
  });

  it('RGBA → RGB → VGG input (BGR minus the ImageNet means) → RGB → RGBA gives the bytes back; out-of-range values clip', () => {
    const rgba = syntheticImage(5, 4, 2);
    const rgb = rgbaToRgb(rgba);
    assert.deepEqual(Array.from(rgb.data.slice(0, 3)), Array.from(rgba.data.slice(0, 3)));
    const vgg = toVggInput(rgb);
    assert.ok(Math.abs(vgg.data[0] - (rgba.data[2] - 103.939)) < 1e-4, 'B first, minus its mean');
    assert.ok(Math.abs(vgg.data[2] - (rgba.data[0] - 123.68)) < 1e-4, 'R last, minus its mean');
    assert.deepEqual(Array.from(rgbToRgba(fromVggInput(vgg)).data), Array.from(rgba.data));
    const wild = rgbToRgba({ height: 1, width: 2, data: Float32Array.from([-3, 255.7, 12.5, 300, 0.4, 13.5]) });
    assert.deepEqual(Array.from(wild.data), [0, 255, 12, 255, 255, 0, 14, 255]); // halves round to even, as tf.round
  });

  it('colour preservation: grey luminance, luminance matched to a reference, and the chrominance put back', () => {
    const rgb = rgbaToRgb(syntheticImage(6, 5, 3));
    const grey = toGreyLuminance(rgb);
    const [r, g, b] = rgb.data;
    assert.ok(Math.abs(grey.data[0] - (0.299 * r + 0.587 * g + 0.114 * b)) < 1e-3);
    assert.equal(grey.data[0], grey.data[2]);

    const reference = toGreyLuminance(rgbaToRgb(syntheticImage(6, 5, 4)));
    const matched = matchLuminance(grey, reference);
    const stats = (d: Float32Array) => {
      const mean = d.reduce((a, v) => a + v, 0) / d.length;
      return [mean, Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / d.length)];
    };
    const [[m1, s1], [m2, s2]] = [stats(matched.data), stats(reference.data)];
    assert.ok(Math.abs(m1 - m2) < 1e-3 && Math.abs(s1 - s2) < 1e-3, `mean/std ${m1}/${s1} vs ${m2}/${s2}`);

    // The luminance of an image with its own colours is the image (up to the 3-decimal matrices: 0.18 measured).
    assert.ok(maxAbsDifference(combineLuminanceWithColours(rgb, rgb).data, rgb.data) < 0.5);
    // A grey image given colours keeps its luminance.
    const coloured = combineLuminanceWithColours(grey, rgb);
    assert.ok(maxAbsDifference(toGreyLuminance(coloured).data, grey.data) < 0.05);
    assert.ok(maxAbsDifference(coloured.data, grey.data) > 5, 'the colours came back');
  });
});
