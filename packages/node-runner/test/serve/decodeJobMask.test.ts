import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { maskIsEmpty } from '@pastiche/core';
import { maskCellWeights } from '../../src/images/maskCellWeights.ts';
import { decodeJobImage } from '../../src/images/decodeJobImage.ts';
import { decodeJobMask } from '../../src/images/decodeJobMask.ts';

const LIMITS = { maxSide: 8192, maxPixels: 8192 * 8192 };

/** A 2048 × 1024 grey PNG, black but for the pixels given as [x, y, value]. */
async function maskPng(...pixels: Array<[number, number, number]>) {
  const raw = Buffer.alloc(2048 * 1024);
  for (const [x, y, value] of pixels) raw[y * 2048 + x] = value;
  return new Uint8Array(await sharp(raw, { raw: { width: 2048, height: 1024, channels: 1 } }).png().toBuffer());
}

describe("a mask's emptiness is its weight at full size", () => {
  test('one white pixel of a 2048 px mask is a region at 64 px, where the plain shrink loses it', async () => {
    const mask = await maskPng([1500, 700, 255]);
    assert.ok(maskIsEmpty(await decodeJobImage(mask, 'mask', LIMITS, 64)), 'the 8-bit shrink rounds the pixel away (what refused it before)');
    const decoded = await decodeJobMask(mask, 'mask', LIMITS, 64);
    assert.deepEqual([decoded.width, decoded.height], [64, 32]);
    const lit = [...Array(64 * 32).keys()].filter((p) => decoded.data[4 * p] > 0);
    // The cell under (1500, 700): 2048/64 = 32 px per cell.
    assert.deepEqual(lit, [Math.floor(700 / 32) * 64 + Math.floor(1500 / 32)]);
    assert.deepEqual([...decoded.data.subarray(4 * lit[0], 4 * lit[0] + 4)], [1, 1, 1, 255]);
  });

  test('an all-black mask stays empty; a mask the shrink keeps is decoded as any image', async () => {
    assert.ok(maskIsEmpty(await decodeJobMask(await maskPng(), 'mask', LIMITS, 64)));
    const half = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).png().toBuffer();
    assert.deepEqual(await decodeJobMask(half, 'mask', LIMITS, 16), await decodeJobImage(half, 'mask', LIMITS, 16));
  });

  test('cell weights are the mean of luma × alpha under each cell, as the core weighs a mask', async () => {
    // 4 × 2 RGBA: a white opaque pixel, a white half-transparent one, a red opaque one, the rest transparent white.
    const raw = Buffer.alloc(4 * 2 * 4);
    const set = (p: number, rgba: number[]) => raw.set(rgba, 4 * p);
    for (let p = 0; p < 8; p++) set(p, [255, 255, 255, 0]);
    set(0, [255, 255, 255, 255]);
    set(1, [255, 255, 255, 51]);
    set(6, [255, 0, 0, 255]);
    const png = await sharp(raw, { raw: { width: 4, height: 2, channels: 4 } }).png().toBuffer();
    const cells = await maskCellWeights(png, 2, 1);
    assert.ok(Math.abs(cells[0] - (1 + 0.2) / 4) < 1e-6, `left cell ${cells[0]}`);
    assert.ok(Math.abs(cells[1] - 0.299 / 4) < 1e-6, `right cell ${cells[1]}`);
  });
});
