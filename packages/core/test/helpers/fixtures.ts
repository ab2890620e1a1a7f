import { createTfjsEngine, type Engine, type RgbaImage, type StylizeOptions } from '../../src/index.ts';
import { loadImage } from './images.ts';
import { realWeightsUpTo } from './weights.ts';

/** A tfjs engine on the real VGG16 weights of blocks 1–2 (cheap enough for many small runs), named after the active backend. */
export async function smallRealEngine(): Promise<Engine> {
  return createTfjsEngine('vgg16', await realWeightsUpTo('block2_conv2'));
}

/** Options for quick runs on `smallRealEngine`. */
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
