import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameResult, splitIntoPercentages } from '@pastiche/web-bridge/naming';

test('percentages add up to 100, largest remainders first', () => {
  assert.deepEqual(splitIntoPercentages([70, 30]), [70, 30]);
  assert.deepEqual(splitIntoPercentages([1, 1, 1]), [34, 33, 33]);
  assert.deepEqual(splitIntoPercentages([2, 1]), [67, 33]);
  assert.deepEqual(splitIntoPercentages([0, 0]), [0, 0]);
  assert.deepEqual(splitIntoPercentages([3, -1, 1]), [75, 0, 25], 'a negative weight takes no share and does not inflate the others');
});

test('a result is named after its content and its styles', () => {
  assert.equal(nameResult('Photo', [{ name: 'Starry Night', weight: 7 }, { name: 'Scream', weight: 3 }]), 'Pastiche — Photo × Starry Night 70% + Scream 30%');
  assert.equal(nameResult('Photo', [{ name: 'Starry Night', weight: 50 }]), 'Pastiche — Photo × Starry Night');
  assert.equal(nameResult('Photo', [{ name: 'A', weight: 50 }, { name: 'B', weight: 0 }]), 'Pastiche — Photo × A');
});
