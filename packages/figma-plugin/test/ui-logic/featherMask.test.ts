import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featherMask } from '../../src/ui/regions/featherMask.ts';

test('feathering softens a hard edge symmetrically and leaves far pixels and a radius of 0 alone', () => {
  const width = 21;
  const height = 3;
  const hard = Uint8ClampedArray.from({ length: width * height }, (_, i) => (i % width < 10 ? 255 : 0));
  assert.deepEqual(featherMask(hard, width, height, 0), hard);
  const soft = featherMask(hard, width, height, 2);
  const row = Array.from(soft.slice(width, 2 * width));
  assert.equal(row[0], 255, 'far inside stays white');
  assert.equal(row[20], 0, 'far outside stays black');
  assert.ok(row[9] < 255 && row[9] > 128 && row[10] < 128 && row[10] > 0, `the edge is soft: ${row.slice(6, 14)}`);
  for (let x = 1; x < width; x++) assert.ok(row[x] <= row[x - 1], 'it falls off monotonically');
  assert.deepEqual(Array.from(soft.slice(0, width)), row, 'every row alike: a vertical edge is blurred only across');
});
