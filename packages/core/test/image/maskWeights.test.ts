import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskAt, maskWeights } from '../../src/image/maskWeights.ts';

describe('mask images as weights', () => {
  it('reads luma times alpha: white opaque 1, black 0, transparent 0, grey in between; resized to any size', () => {
    const pixels = [[255, 255, 255, 255], [0, 0, 0, 255], [255, 255, 255, 0], [255, 255, 255, 51], [0, 255, 0, 255], [102, 102, 102, 255]];
    const mask = maskWeights({ width: 6, height: 1, data: Uint8Array.from(pixels.flat()) });
    const expected = [1, 0, 0, 0.2, 0.587, 0.4];
    expected.forEach((v, i) => assert.ok(Math.abs(mask.data[3 * i] - v) < 1e-6, `pixel ${i}: ${mask.data[3 * i]}, expected ${v}`));
    const left = maskWeights({ width: 2, height: 1, data: Uint8Array.of(255, 255, 255, 255, 0, 0, 0, 255) });
    const stretched = maskAt(left, 3, 8);
    assert.equal(stretched.length, 24);
    assert.deepEqual([...stretched.slice(0, 8)].map((v) => Math.round(v * 100) / 100), [1, 1, 0.88, 0.63, 0.38, 0.13, 0, 0]);
  });
});
