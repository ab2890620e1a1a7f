import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stylize, type Engine, type RgbaImage } from '../src/index.ts';
import { alphaOf, fillTransparent, hasTransparency } from '../src/image/transparency.ts';
import { useBackend } from './helpers/backend.ts';
import { exampleImages, smallRealEngine, SMALL_RUN } from './helpers/fixtures.ts';

/** `image` with a transparent disc in its middle (radius r px, black under it), its rim antialiased over one pixel. */
function withHole(image: RgbaImage, r: number): RgbaImage {
  const data = Uint8ClampedArray.from(image.data);
  const [cx, cy] = [image.width / 2, image.height / 2];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const coverage = Math.min(1, Math.max(0, Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - r));
      const p = 4 * (y * image.width + x);
      data[p + 3] = Math.round(255 * coverage);
      if (coverage === 0) data.fill(0, p, p + 3);
    }
  }
  return { width: image.width, height: image.height, data };
}

/** Mean RGB over the pixels `from`–`to` px outside the hole's rim. */
function ringMean(image: RgbaImage, r: number, from: number, to: number): number[] {
  const [cx, cy] = [image.width / 2, image.height / 2];
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - r;
      if (d < from || d > to) continue;
      n++;
      for (let c = 0; c < 3; c++) sum[c] += image.data[4 * (y * image.width + x) + c];
    }
  }
  return sum.map((s) => s / n);
}

const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));

describe('transparency', () => {
  it('fills a transparent hole from the opaque colours around it and leaves opaque pixels as they are', () => {
    const [width, height] = [20, 12];
    const data = new Uint8Array(width * height * 4);
    for (let p = 0; p < width * height; p++) data.set([200, 40 + (p % width) * 5, 90, 255], 4 * p);
    const holed = withHole({ width, height, data }, 4);
    assert.ok(hasTransparency(holed));
    assert.equal(hasTransparency({ width, height, data }), false);
    const filled = fillTransparent(holed);
    for (let p = 0; p < width * height; p++) {
      const alpha = holed.data[4 * p + 3];
      for (let c = 0; c < 3; c++) {
        const v = filled.data[3 * p + c];
        if (alpha === 255) assert.equal(v, holed.data[4 * p + c], `opaque pixel ${p} changed`);
        // Red and blue are flat outside; green a horizontal ramp: the fill stays within what surrounds it.
        else if (c !== 1) assert.ok(Math.abs(v - [200, 0, 90][c]) < 1e-3, `pixel ${p} channel ${c}: ${v}`);
        else assert.ok(v >= 40 && v <= 40 + 19 * 5, `pixel ${p} green ${v}`);
      }
    }
    assert.deepEqual([...alphaOf(holed).data.subarray(0, 3)], [1, 1, 1]);
  });

  describe('stylize (wasm, real weights)', () => {
    let engine: Engine;
    let style: RgbaImage;
    before(async () => {
      await useBackend('wasm');
      engine = await smallRealEngine();
      style = (await exampleImages(48)).starryNight;
    });
    after(() => engine.dispose());

    const paint = (content: RgbaImage) => stylize(engine, { content, styles: [{ image: style }], options: { ...SMALL_RUN, size: 48, init: 'content', evaluations: 30 } });

    it('gives the result the content’s alpha, and the subject’s edge the colours of its painted interior', async () => {
      // A flat subject (with a little grain), so that its painted edge and interior should look alike.
      const subject = { width: 48, height: 36, data: Uint8ClampedArray.from({ length: 48 * 36 * 4 }, (_, i) => (i % 4 === 3 ? 255 : [200, 150, 90][i % 4] + ((i * 7919) % 21) - 10)) };
      const r = 8;
      const holed = withHole(subject, r);
      const withAlpha = await paint(holed);
      assert.deepEqual([withAlpha.image.width, withAlpha.image.height], [subject.width, subject.height]);
      const alphas = (image: RgbaImage) => image.data.filter((_, i) => i % 4 === 3);
      assert.deepEqual(alphas(withAlpha.image), alphas(holed));
      // The same pixels with the hole's black painted as it is (opaque): what the fill keeps out of the edge.
      const blackDisc = await paint({ ...holed, data: holed.data.map((v, i) => (i % 4 === 3 ? 255 : v)) });
      assert.ok(alphas(blackDisc.image).every((a) => a === 255));
      const edgeOff = (image: RgbaImage) => distance(ringMean(image, r, 1, 3), ringMean(image, r, 4, Infinity));
      const [near, far] = [edgeOff(withAlpha.image), edgeOff(blackDisc.image)];
      assert.ok(near < 16, `the edge's mean colour is ${near.toFixed(1)} from the painted interior's`);
      assert.ok(far > 2.5 * near, `black under the hole, painted, puts the edge only ${far.toFixed(1)} off (filled: ${near.toFixed(1)})`);
    });
  });
});
