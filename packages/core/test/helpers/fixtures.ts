import { createVggFeatureExtractor, type RgbaImage, type StylizeOptions, type VggFeatureExtractor } from '../../src/index.ts';
import { loadImage } from './images.ts';
import { realWeightsUpTo } from './weights.ts';

/** A VGG16 extractor on the real weights of blocks 1–2 (cheap enough for many small runs). */
export async function smallRealExtractor(): Promise<VggFeatureExtractor> {
  return createVggFeatureExtractor('vgg16', await realWeightsUpTo('block2_conv2'));
}

/** Options for quick runs on `smallRealExtractor`. */
export const SMALL_RUN: StylizeOptions = {
  model: 'vgg16',
  size: 32,
  contentLayers: ['block2_conv2'],
  styleLayers: ['block1_conv2', 'block2_conv2'],
  init: 'random',
  seed: 1234,
  evaluations: 6,
};

export interface ExampleImages {
  tubingen: RgbaImage;
  starryNight: RgbaImage;
  scream: RgbaImage;
}

/** The example images, downscaled by sharp to at most `longestSide` (the runs resize them further). */
export async function exampleImages(longestSide = 128): Promise<ExampleImages> {
  const [tubingen, starryNight, scream] = await Promise.all(
    ['tubingen.jpg', 'starry_night.jpg', 'the_scream.jpg'].map((name) => loadImage(name, longestSide)),
  );
  return { tubingen, starryNight, scream };
}
