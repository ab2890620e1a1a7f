import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectiveSettings } from '../../src/engine/types.ts';
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

  it('covers every pixel with exactly one interior, interiors aligned, reads clipped to the image', () => {
    const steps = stepsThrough('vgg16', ['block2_conv2']);
    for (const [height, width, side] of [[101, 77, 30], [64, 64, 64], [9, 300, 17]] as const) {
      const { tiles, alignment, halo } = planTiles(steps, height, width, side);
      const covered = new Uint8Array(height * width);
      for (const t of tiles) {
        assert.equal(t.interiorRows.start % alignment, 0);
        assert.equal(t.rows.start, Math.max(0, t.interiorRows.start - halo));
        assert.equal(t.columns.end, Math.min(width, t.interiorColumns.end + halo));
        for (let y = t.interiorRows.start; y < t.interiorRows.end; y++) for (let x = t.interiorColumns.start; x < t.interiorColumns.end; x++) covered[y * width + x]++;
      }
      assert.ok(covered.every((c) => c === 1), `${height}×${width} in tiles of ${side}`);
    }
  });
});

describe('tiled evaluation (tiledObjective.ts) against the untiled objective, in float64', () => {
  const cases: Array<{ label: string; height: number; width: number; tile: number; s: ObjectiveSettings }> = [
    { label: '41×37 in tiles of 16 (uneven, halo clipped at every border), max pooling', height: 41, width: 37, tile: 16, s: BLOCK3_SETTINGS },
    {
      label: '38×29 in tiles of 12, avg pooling, notebook, two content layers',
      height: 38,
      width: 29,
      tile: 12,
      s: { ...BLOCK3_SETTINGS, pooling: 'avg', normalization: 'notebook', contentLayers: ['block1_conv1', 'block3_conv2'], contentWeight: 0.025, styleWeight: 5 },
    },
  ];
  for (const { label, height, width, tile, s } of cases) {
    it(`${label}: terms within 1e-6 relative, gradient within 1e-6 relative L2`, async () => {
      const weights = await realWeightsUpTo('block3_conv3');
      const content = randomVggImage(height, width, 1);
      const styles = [{ image: randomVggImage(40, 31, 2), weight: 0.7 }, { image: randomVggImage(27, 35, 3), weight: 0.3 }];
      const x = uniform(height * width * 3, 4, -100, 100);
      const untiled = referenceObjective('vgg16', weights, s, content, styles, x);
      assertSameEvaluation(await tiledReferenceObjective('vgg16', weights, s, content, styles, x, tile), untiled, 1e-6);
    });
  }
});
