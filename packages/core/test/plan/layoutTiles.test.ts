import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stepsThrough } from '../../src/vgg/stepsThrough.ts';
import { layoutTiles, receptiveRadius } from '../../src/plan/layoutTiles.ts';

describe('tile layout (layoutTiles)', () => {
  it('computes the halo from the layers in use: 18 px of reach through block3_conv3, rounded up to the 4 px alignment', () => {
    const steps = stepsThrough('vgg16', ['block3_conv3']);
    assert.equal(receptiveRadius(steps), 1 + 1 + 2 + 2 + 4 + 4 + 4);
    assert.deepEqual({ halo: layoutTiles(steps, 100, 100, 40).halo, alignment: layoutTiles(steps, 100, 100, 40).alignment }, { halo: 20, alignment: 4 });
    // VGG19 to block5_conv4: 2·1 + 2·2 + 4·4 + 4·8 + 4·16 = 118 px, 4 pools: a multiple of 16.
    assert.equal(layoutTiles(stepsThrough('vgg19', ['block5_conv4']), 1000, 1000, 256).halo, 128);
  });

  it('covers every pixel with exactly one interior, interiors and reads aligned, every read the same size within the image', () => {
    const steps = stepsThrough('vgg16', ['block2_conv2']);
    for (const [height, width, side] of [[101, 77, 30], [64, 64, 64], [9, 300, 17]] as const) {
      const { tiles, alignment, halo } = layoutTiles(steps, height, width, side);
      const covered = new Uint8Array(height * width);
      for (const t of tiles) {
        assert.equal(t.interiorRows.start % alignment, 0);
        assert.equal(t.rows.start % alignment, 0);
        assert.ok(t.rows.start <= Math.max(0, t.interiorRows.start - halo) && t.rows.end >= Math.min(height, t.interiorRows.end + halo), 'a halo around the interior');
        assert.ok(t.columns.start <= Math.max(0, t.interiorColumns.start - halo) && t.columns.end >= Math.min(width, t.interiorColumns.end + halo));
        assert.ok(t.rows.end <= height && t.columns.end <= width);
        assert.deepEqual([t.rows.end - t.rows.start, t.columns.end - t.columns.start], [tiles[0].rows.end - tiles[0].rows.start, tiles[0].columns.end - tiles[0].columns.start], 'every tile reads as many pixels');
        for (let y = t.interiorRows.start; y < t.interiorRows.end; y++) for (let x = t.interiorColumns.start; x < t.interiorColumns.end; x++) covered[y * width + x]++;
      }
      assert.ok(covered.every((c) => c === 1), `${height}×${width} in tiles of ${side}`);
    }
  });
});

describe('tile layout of a seamless pattern (layoutTiles, wrap)', () => {
  it('covers every pixel once; every interior has its whole halo on both sides, read across the edges; every read the same size', () => {
    const steps = stepsThrough('vgg16', ['block2_conv2']);
    for (const [height, width, side] of [[40, 24, 8], [64, 30, 64], [12, 100, 30]] as const) {
      const { tiles, alignment, halo } = layoutTiles(steps, height, width, side, true);
      const covered = new Uint8Array(height * width);
      for (const t of tiles) {
        assert.equal(t.interiorRows.start % alignment, 0);
        assert.deepEqual([t.rows.start, t.columns.start], [t.interiorRows.start - halo, t.interiorColumns.start - halo], 'the halo before the interior, past the edge if need be');
        assert.ok(t.rows.end >= t.interiorRows.end + halo && t.columns.end >= t.interiorColumns.end + halo, 'and after it');
        assert.deepEqual([t.rows.end - t.rows.start, t.columns.end - t.columns.start], [tiles[0].rows.end - tiles[0].rows.start, tiles[0].columns.end - tiles[0].columns.start]);
        for (let y = t.interiorRows.start; y < t.interiorRows.end; y++) for (let x = t.interiorColumns.start; x < t.interiorColumns.end; x++) covered[y * width + x]++;
      }
      assert.ok(covered.every((c) => c === 1), `${height}×${width} in tiles of ${side}`);
    }
  });
});
