import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NORMALIZATIONS } from '../src/index.ts';

describe('NORMALIZATIONS', () => {
  it('notebook: Gram unnormalised, style divided by 4·3²·(H·W)² of the image, raw content and TV sums', () => {
    const n = NORMALIZATIONS.notebook;
    assert.equal(n.gramDivisor(1234), 1);
    // The notebooks use channels = 3 (the image's) whatever the layer: 64 here must not matter.
    assert.equal(n.styleFactor(64, 512, 512), 1 / (4 * 9 * (512 * 512) ** 2));
    assert.equal(n.styleFactor(512, 300, 200), 1 / (36 * 60000 ** 2));
    assert.equal(n.contentFactor(1000), 1);
    assert.equal(n.tvFactor(300, 200), 1);
  });

  it('scale-invariant: Gram divided by positions, style, content and TV as means', () => {
    const n = NORMALIZATIONS['scale-invariant'];
    assert.equal(n.gramDivisor(1234), 1234);
    assert.equal(n.styleFactor(64, 512, 512), 1 / 4096);
    assert.equal(n.styleFactor(64, 100, 900), 1 / 4096); // independent of the image size
    assert.equal(n.contentFactor(1000), 1 / 1000);
    assert.equal(n.tvFactor(301, 201), 1 / (300 * 200));
  });
});
