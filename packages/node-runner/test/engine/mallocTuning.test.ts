import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasMallocTuning, withMallocTuning, withoutMallocTuning } from '../../src/engine/mallocTuning.ts';

const OURS = 'glibc.malloc.mmap_threshold=4194304:glibc.malloc.hugetlb=1';

describe('mallocTuning', { skip: process.platform !== 'linux' && 'glibc tunables apply on Linux only (hasMallocTuning is always true elsewhere)' }, () => {
  test('adds every setting to an environment without them', () => {
    assert.equal(withMallocTuning({ PATH: '/bin' }).GLIBC_TUNABLES, OURS);
    assert.equal(withMallocTuning({ PATH: '/bin' }).PATH, '/bin');
  });

  test("keeps a user's other tunables and a user's own value of ours, adding only what is missing", () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0:glibc.malloc.hugetlb=0' };
    assert.equal(hasMallocTuning(env), false);
    assert.equal(withMallocTuning(env).GLIBC_TUNABLES, 'glibc.malloc.tcache_count=0:glibc.malloc.hugetlb=0:glibc.malloc.mmap_threshold=4194304');
  });

  test('an environment with both needs no relaunch and is returned as it is', () => {
    const env = { GLIBC_TUNABLES: OURS };
    assert.equal(hasMallocTuning(env), true);
    assert.equal(hasMallocTuning({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=4194304' }), false);
    assert.equal(withMallocTuning(env), env);
  });

  test('withoutMallocTuning removes ours and keeps the rest', () => {
    assert.equal(withoutMallocTuning({ GLIBC_TUNABLES: OURS }).GLIBC_TUNABLES, undefined);
    assert.equal('GLIBC_TUNABLES' in withoutMallocTuning({ GLIBC_TUNABLES: OURS }), false);
    assert.equal(withoutMallocTuning({ GLIBC_TUNABLES: `glibc.malloc.tcache_count=0:${OURS}` }).GLIBC_TUNABLES, 'glibc.malloc.tcache_count=0');
  });
});
