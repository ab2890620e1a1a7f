import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planTiles } from '../../src/results/planTiles.ts';
import { readPngSize } from '../../src/results/readPngSize.ts';
import { encodeTestPng } from '../helpers/encodeTestPng.ts';

test('an image within 4096 px is one tile', () => {
  assert.deepEqual(planTiles(4096, 1000), [{ x: 0, y: 0, width: 4096, height: 1000 }]);
});

test('a larger image is cut into the fewest near-equal tiles, each within the limit, covering it once', () => {
  const tiles = planTiles(8192, 5000);
  assert.equal(tiles.length, 4);
  assert.deepEqual(tiles[0], { x: 0, y: 0, width: 4096, height: 2500 });
  assert.ok(tiles.every((t) => t.width <= 4096 && t.height <= 4096));
  assert.equal(tiles.reduce((a, t) => a + t.width * t.height, 0), 8192 * 5000);
  assert.deepEqual(planTiles(6000, 100).map((t) => t.width), [3000, 3000]);
  assert.deepEqual(planTiles(10, 10, 4).map((t) => [t.x, t.width]).slice(0, 3), [[0, 3], [3, 4], [7, 3]]);
});

test('PNG sizes are read from the header; anything else is not a PNG', () => {
  assert.deepEqual(readPngSize(encodeTestPng(37, 5)), { width: 37, height: 5 });
  assert.equal(readPngSize(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(30).fill(0)])), undefined);
  assert.equal(readPngSize(new Uint8Array(3)), undefined);
});
