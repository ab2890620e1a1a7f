import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectiveSettings } from '../../src/engines/types.ts';
import { stepsThrough } from '../../src/vgg/stepsThrough.ts';
import { layoutTiles } from '../../src/plan/layoutTiles.ts';
import { BLOCK3_SETTINGS, randomVggImage } from '../helpers/objectiveSettings.ts';
import { uniform } from '../helpers/random.ts';
import { referenceObjective } from '../helpers/referenceObjective.ts';
import { tiledReferenceObjective } from '../helpers/tiledReferenceObjective.ts';
import { realWeightsUpTo } from '../helpers/weights.ts';
import { assertSameEvaluation } from '../helpers/compareEvaluations.ts';

describe('tiled evaluation (tiledObjective.ts) against the untiled objective, in float64', () => {
  const BLOCK2: ObjectiveSettings = { ...BLOCK3_SETTINGS, contentLayers: ['block2_conv2'], styleLayers: ['block1_conv2', 'block2_conv2'], styleLayerWeights: [0.4, 0.6] };
  // 3 × 3 tiles at block 2: corners and edges clipped at the image's borders, a middle tile that is not, odd
  // sizes whose reads end mid-window; the float64 reference's cost grows with the pixels the tiles read.
  const cases: Array<{ label: string; height: number; width: number; tile: number; tiles: number; s: ObjectiveSettings; contentPerTile?: boolean }> = [
    { label: '35×33 to block2_conv2 in tiles of 12 (3 × 3, reads ending mid-window, halo clipped at every border), max pooling', height: 35, width: 33, tile: 12, tiles: 9, s: BLOCK2 },
    {
      label: '35×33 in tiles of 12, content targets computed per tile from the content under it, content at block1_conv2 and block2_conv2',
      height: 35,
      width: 33,
      tile: 12,
      tiles: 9,
      s: { ...BLOCK2, contentLayers: ['block1_conv2', 'block2_conv2'] },
      contentPerTile: true,
    },
    {
      label: '29×27 to block2_conv2 in tiles of 10 (3 × 3), avg pooling, notebook, two content layers',
      height: 29,
      width: 27,
      tile: 10,
      tiles: 9,
      s: { ...BLOCK2, pooling: 'avg', normalization: 'notebook', contentLayers: ['block1_conv1', 'block2_conv1'], contentWeight: 0.025, styleWeight: 5 },
    },
    { label: '30×80 to block3_conv3 in tiles of 36 (1 × 3: its 20 px halo makes 2-D tiles slow in float64)', height: 30, width: 80, tile: 36, tiles: 3, s: BLOCK3_SETTINGS },
  ];
  for (const { label, height, width, tile, tiles, s, contentPerTile } of cases) {
    it(`${label}: terms within 1e-6 relative, gradient within 1e-6 relative L2`, async () => {
      const weights = await realWeightsUpTo('block3_conv3');
      const content = randomVggImage(height, width, 1);
      const styles = [{ image: randomVggImage(40, 31, 2), weight: 0.7 }, { image: randomVggImage(27, 35, 3), weight: 0.3 }];
      const x = uniform(height * width * 3, 4, -100, 100);
      const untiled = referenceObjective('vgg16', weights, s, content, styles, x);
      assert.equal(layoutTiles(stepsThrough('vgg16', [...s.contentLayers, ...s.styleLayers]), height, width, tile).tiles.length, tiles);
      assertSameEvaluation(await tiledReferenceObjective('vgg16', weights, s, content, styles, x, tile, { contentPerTile }), untiled, 1e-6);
    });
  }
});
