import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findTextureProblem, textureSizeOf } from '../src/ui/textureSize.ts';

const CHOOSE = 'Choose the content.';
const pattern = { preset: 'standard' as const, advanced: { seamless: true } };

test('a texture\'s size: typed as the CLI\'s --texture, or the run\'s size squared while the field is empty', () => {
  assert.deepEqual(textureSizeOf({ textureText: '', settings: pattern }), { width: 512, height: 512 }, 'Standard: 512 px');
  assert.deepEqual(textureSizeOf({ textureText: ' ', settings: { ...pattern, advanced: { seamless: true, size: 96 } } }), { width: 96, height: 96 }, 'Advanced\'s Size');
  assert.deepEqual(textureSizeOf({ textureText: '640x320', settings: pattern }), { width: 640, height: 320 });
  assert.deepEqual(textureSizeOf({ textureText: '128', settings: pattern }), { width: 128, height: 128 });
});

test('no content: refused without Pattern (saying how to get a texture), and for a size out of range, by name', () => {
  assert.equal(findTextureProblem({ textureText: '', settings: { preset: 'standard', advanced: {} } }, CHOOSE), 'Choose the content. Or turn on Pattern (in Advanced) to paint a seamless texture from the styles alone.');
  assert.equal(findTextureProblem({ textureText: '', settings: pattern }, CHOOSE), undefined);
  assert.equal(findTextureProblem({ textureText: '9000x20', settings: pattern }, CHOOSE), 'Texture size: each side must be 16 to 8192 px, got 9000×20.');
});
