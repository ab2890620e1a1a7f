import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ObjectiveSettings, ScaleStyle, VggImage } from '../../src/engines/types.ts';
import { REPO_ROOT } from './paths.ts';

/**
 * The float64 Wasserstein reference written by bench/torch/wasserstein_reference.py (eigendecomposition square
 * roots, PyTorch autograd): its cases, each term and the gradient (every `stride`-th value, NHWC). The inputs
 * are closed-form, generated here as there (`pattern`).
 */
export const WASSERSTEIN_FIXTURE_DIR = path.join(REPO_ROOT, 'packages/core/test/fixtures/wasserstein-reference');

interface FixtureCase {
  name: string;
  height: number;
  width: number;
  content: number;
  x: number;
  styles: Array<{ height: number; width: number; seed: number; weight: number; mask?: 'left' }>;
  stride: number;
  terms: { content: number; style: number; tv: number };
  gradient: string;
}

export interface WassersteinReferenceCase {
  name: string;
  settings: ObjectiveSettings;
  content: VggImage;
  styles: ScaleStyle[];
  x: Float32Array;
  terms: { content: number; style: number; tv: number };
  /** The reference gradient at every `stride`-th position of the NHWC gradient. */
  gradient: Float32Array;
  stride: number;
}

/** A VGG input [H, W, 3] in about [−100, 100], the formula of wasserstein_reference.py's `pattern`, rounded to float32. */
export function pattern(height: number, width: number, seed: number): VggImage {
  const data = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        data[(y * width + x) * 3 + c] =
          60 * Math.sin(0.21 * (seed + 1) * y + 0.13 * x + 1.7 * c + seed) +
          30 * Math.sin(0.57 * x - (0.41 * y * (c + 1)) / (seed + 1) + 0.3 * seed) +
          10 * Math.cos(1.9 * x + 2.3 * y + c);
      }
    }
  }
  return { height, width, data };
}

/** 1 on the left half of the image, 0.3 on the right (wasserstein_reference.py's `left_mask`). */
const leftMask = (height: number, width: number) => Float32Array.from({ length: height * width }, (_, i) => (i % width < width / 2 ? 1 : 0.3));

export function wassersteinReferenceCases(): WassersteinReferenceCase[] {
  const fixture = JSON.parse(readFileSync(path.join(WASSERSTEIN_FIXTURE_DIR, 'cases.json'), 'utf8')) as { settings: Omit<ObjectiveSettings, 'normalization' | 'styleLoss'>; cases: FixtureCase[] };
  const settings: ObjectiveSettings = { ...fixture.settings, normalization: 'scale-invariant', styleLoss: 'wasserstein' };
  return fixture.cases.map((c) => {
    const bytes = readFileSync(path.join(WASSERSTEIN_FIXTURE_DIR, c.gradient));
    return {
      name: c.name,
      settings,
      content: pattern(c.height, c.width, c.content),
      styles: c.styles.map((s) => ({ image: pattern(s.height, s.width, s.seed), weight: s.weight, mask: s.mask === 'left' ? leftMask(c.height, c.width) : undefined })),
      x: pattern(c.height, c.width, c.x).data,
      terms: c.terms,
      gradient: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
      stride: c.stride,
    };
  });
}

/** Every `stride`-th value of a gradient, as the fixture keeps it. */
export const sampled = (gradient: ArrayLike<number>, stride: number) => Float32Array.from({ length: Math.ceil(gradient.length / stride) }, (_, i) => gradient[i * stride]);
