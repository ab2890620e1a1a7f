import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultLbfgsHistory } from '../src/index.ts';

test('the default L-BFGS history keeps 30 pairs while they fit in 512 MiB, never fewer than 10', () => {
  assert.equal(defaultLbfgsHistory(512 * 384), 30); // 4.7 MB a pair
  assert.equal(defaultLbfgsHistory(1024 * 768), 28); // 18.9 MB a pair: 28 fit
  assert.equal(defaultLbfgsHistory(2048 * 1536), 10); // 75 MB a pair: 7 would fit, scipy's 10 is the floor
  assert.equal(defaultLbfgsHistory(64 * 64), 30);
});
