import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTextureSize, textureRequest, TEXTURE_SIDE } from '../src/index.ts';

const style = { image: { width: 16, height: 16, data: new Uint8Array(16 * 16 * 4) } };

test('parseTextureSize reads WxH, W×H and one side N; anything else names texture', () => {
  assert.deepEqual(parseTextureSize('512x256'), { width: 512, height: 256 });
  assert.deepEqual(parseTextureSize(' 300 × 200 '), { width: 300, height: 200 });
  assert.deepEqual(parseTextureSize('64'), { width: 64, height: 64 });
  assert.throws(() => parseTextureSize('big'), /^PasticheInputError: texture: expected WxH in px \(e\.g\. 512x512\) or one side N, got "big"$/);
  assert.throws(() => parseTextureSize('512x'), /texture: expected WxH/);
  assert.throws(() => parseTextureSize(`${TEXTURE_SIDE.min - 1}x40`), /texture: each side must be 16 to 8192 px, got 15×40/);
  assert.throws(() => parseTextureSize(`40x${TEXTURE_SIDE.max + 1}`), /got 40×8193/);
});

test('textureRequest: a grey opaque canvas of that size, content weight 0, from noise, at the longest side unless a size is given', () => {
  const request = textureRequest({ width: 48, height: 32, styles: [style], options: { seamless: true } });
  assert.deepEqual([request.content.width, request.content.height], [48, 32]);
  assert.ok(request.content.data.every((v, i) => v === (i % 4 === 3 ? 255 : 128)));
  assert.deepEqual(request.options, { seamless: true, size: 48, contentWeight: 0, init: 'random' });
  assert.equal(textureRequest({ width: 48, height: 32, styles: [style], options: { size: 24 } }).options!.size, 24);
});

test('textureRequest refuses what reads a content, and a side out of range, by name', () => {
  assert.throws(() => textureRequest({ width: 48, height: 48, styles: [style], options: { contentWeight: 1 } }), /^PasticheInputError: options\.contentWeight: /);
  assert.throws(() => textureRequest({ width: 48, height: 48, styles: [style], options: { init: 'content' } }), /^PasticheInputError: options\.init: /);
  assert.throws(() => textureRequest({ width: 48, height: 48, styles: [style], options: { preserveColors: true } }), /^PasticheInputError: options\.preserveColors: /);
  assert.throws(() => textureRequest({ width: 8, height: 48, styles: [style] }), /^PasticheInputError: texture: each side must be 16 to 8192 px, got 8×48$/);
});
