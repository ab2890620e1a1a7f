import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectiveSettings } from '../../src/engines/types.ts';
import { stepsThrough } from '../../src/objective/planObjective.ts';
import { planTiles, receptiveRadius } from '../../src/objective/planTiles.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { uniform } from '../helpers/random.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { tiledReferenceObjective } from '../helpers/tiledReferenceObjective.ts';
import { realWeightsUpTo } from '../helpers/weights.ts';
import { assertSameEvaluation } from '../helpers/compareEvaluations.ts';

describe('tile layout (planTiles)', () => {
  it('computes the halo from the layers in use: 18 px of reach through block3_conv3, rounded up to the 4 px alignment', () => {
    const steps = stepsThrough('vgg16', ['block3_conv3']);
    assert.equal(receptiveRadius(steps), 1 + 1 + 2 + 2 + 4 + 4 + 4);
    assert.deepEqual({ halo: planTiles(steps, 100, 100, 40).halo, alignment: planTiles(steps, 100, 100, 40).alignment }, { halo: 20, alignment: 4 });
    // VGG19 to block5_conv4: 2·1 + 2·2 + 4·4 + 4·8 + 4·16 = 118 px, 4 pools: a multiple of 16.
    assert.equal(planTiles(stepsThrough('vgg19', ['block5_conv4']), 1000, 1000, 256).halo, 128);
  });

  it('covers every pixel with exactly one interior, interiors and reads aligned, every read the same size within the image', () => {
    const steps = stepsThrough('vgg16', ['block2_conv2']);
    for (const [height, width, side] of [[101, 77, 30], [64, 64, 64], [9, 300, 17]] as const) {
      const { tiles, alignment, halo } = planTiles(steps, height, width, side);
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

describe('tile layout of a seamless pattern (planTiles, wrap)', () => {
  it('covers every pixel once; every interior has its whole halo on both sides, read across the edges; every read the same size', () => {
    const steps = stepsThrough('vgg16', ['block2_conv2']);
    for (const [height, width, side] of [[40, 24, 8], [64, 30, 64], [12, 100, 30]] as const) {
      const { tiles, alignment, halo } = planTiles(steps, height, width, side, true);
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

describe('tiled evaluation (tiledObjective.ts) against the untiled objective, in float64', () => {
  const BLOCK2: ObjectiveSettings = { ...BLOCK3_SETTINGS, contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2'], styleLayerWeights: [0.4, 0.6] };
  const cases: Array<{ label: string; height: number; width: number; tile: number; s: ObjectiveSettings; contentPerTile?: boolean }> = [
    { label: '41×37 to block2_conv2 in tiles of 8 (5 × 5, reads ending mid-window, halo clipped at every border), max pooling', height: 41, width: 37, tile: 8, s: BLOCK2 },
    {
      label: '41×37 in tiles of 8, content targets computed per tile from the content under it, content at block1_conv2 and block2_conv2',
      height: 41,
      width: 37,
      tile: 8,
      s: { ...BLOCK2, contentLayers: ['block1_conv2', 'block2_conv2'] },
      contentPerTile: true,
    },
    {
      label: '29×34 to block2_conv2 in tiles of 6, avg pooling, notebook, two content layers',
      height: 29,
      width: 34,
      tile: 6,
      s: { ...BLOCK2, pooling: 'avg', normalization: 'notebook', contentLayers: ['block1_conv1', 'block2_conv1'], contentWeight: 0.025, styleWeight: 5 },
    },
    { label: '30×80 to block3_conv3 in tiles of 36 (1 × 3: its 20 px halo makes 2-D tiles slow in float64)', height: 30, width: 80, tile: 36, s: BLOCK3_SETTINGS },
  ];
  for (const { label, height, width, tile, s, contentPerTile } of cases) {
    it(`${label}: terms within 1e-6 relative, gradient within 1e-6 relative L2`, async () => {
      const weights = await realWeightsUpTo('block3_conv3');
      const content = randomVggImage(height, width, 1);
      const styles = [{ image: randomVggImage(40, 31, 2), weight: 0.7 }, { image: randomVggImage(27, 35, 3), weight: 0.3 }];
      const x = uniform(height * width * 3, 4, -100, 100);
      const untiled = referenceObjective('vgg16', weights, s, content, styles, x);
      assert.ok(planTiles(stepsThrough('vgg16', [...s.contentLayers, ...s.styleLayers]), height, width, tile).tiles.length >= 3, 'several tiles');
      assertSameEvaluation(await tiledReferenceObjective('vgg16', weights, s, content, styles, x, tile, { contentPerTile }), untiled, 1e-6);
    });
  }
});
