import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resizeImage, type FloatImage } from '../src/index.ts';
import { upsampleWithDetail } from '../src/image/upsampleWithDetail.ts';
import { uniform } from './helpers/random.ts';
import { maxAbsDifference } from './helpers/reference.ts';

const shifted = (image: FloatImage, by: number): FloatImage => ({ ...image, data: image.data.map((v) => v + by) });

describe('upsampleWithDetail (the start of each finer scale)', () => {
  const initial: FloatImage = { height: 12, width: 10, data: uniform(12 * 10 * 3, 1, -100, 100) };

  it('a coarse result equal to the downsized content gives the content back (a Laplacian pyramid level)', () => {
    const coarse = resizeImage(initial, 6, 5);
    const start = upsampleWithDetail(coarse, initial);
    assert.deepEqual([start.height, start.width], [12, 10]);
    assert.ok(maxAbsDifference(start.data, initial.data) < 1e-3);
  });

  it("adds the coarse result's change, upsampled, to the content: a change the coarse size can hold passes unaltered", () => {
    const changed = shifted(resizeImage(initial, 6, 5), 7); // constant: upsampling keeps it exactly
    const start = upsampleWithDetail(changed, initial);
    const expected = shifted(initial, 7);
    assert.ok(maxAbsDifference(start.data, expected.data) < 1e-3);
    // Plain upsampling would have lost the content's detail.
    assert.ok(maxAbsDifference(resizeImage(changed, 12, 10).data, expected.data) > 10);
  });
});
