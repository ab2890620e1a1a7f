import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findFreeSpot } from '../../src/main/findFreeSpot.ts';

const content = { x: 100, y: 50, width: 300, height: 200 };
const size = { width: 300, height: 200 };

test('with nothing in the way the spot is right of the content, never on it', () => {
  // The content's own box is not among the occupied ones (a group whose bounds are missing, say).
  assert.deepEqual(findFreeSpot(content, size, [], 40), { x: 440, y: 50, width: 300, height: 200 });
});

test('a box in the way moves the spot past it; a bound that stops the row sends it below', () => {
  const neighbour = { x: 450, y: 0, width: 100, height: 100 };
  assert.deepEqual(findFreeSpot(content, size, [content, neighbour], 40), { x: 590, y: 50, width: 300, height: 200 });
  const bounds = { x: 0, y: 0, width: 800, height: 1000 };
  assert.deepEqual(findFreeSpot(content, size, [content, neighbour], 40, bounds), { x: 100, y: 290, width: 300, height: 200 });
});

test('the spot takes only the size of what it is given, never its position', () => {
  assert.deepEqual(findFreeSpot(content, { width: 10, height: 20 }, [content], 40), { x: 440, y: 50, width: 10, height: 20 });
  // findResultPlacement once passed the content's box as the size: its x and y must not become the spot's.
  assert.deepEqual(findFreeSpot(content, content, [], 40), { x: 440, y: 50, width: 300, height: 200 });
});

test('no spot when neither sweep fits the bounds', () => {
  assert.equal(findFreeSpot(content, size, [content], 40, { x: 0, y: 0, width: 500, height: 300 }), undefined);
});
