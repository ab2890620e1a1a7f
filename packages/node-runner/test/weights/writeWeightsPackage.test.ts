import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeConvWeights, readModelFiles, type LayersModelJson } from '@pastiche/core';
import { DEFAULT_WEIGHTS_PACKAGE } from '@pastiche/web-bridge/weights';
import { layersModelFolderSource } from '../../src/weights/layersModelFolderSource.ts';
import { writeWeightsPackage } from '../../src/weights/writeWeightsPackage.ts';
import { float32ToFloat16 } from '../../src/weights/float32ToFloat16.ts';

const vgg16 = path.resolve(import.meta.dirname, '../../../../../shared/models/vgg16/model.json');

describe('the weights package (float16, one file per layer, sha256 in model.json)', () => {
  it('holds the real weights to float16 precision, half the bytes, each file with its sha256, and its licence', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'pastiche-weights-package-'));
    const { source } = await layersModelFolderSource(vgg16);
    await writeWeightsPackage({ vgg16: decodeConvWeights(await readModelFiles(source)) }, out);

    const pkg = JSON.parse(await readFile(path.join(out, 'package.json'), 'utf8'));
    assert.deepEqual([pkg.name, pkg.version, pkg.license], [DEFAULT_WEIGHTS_PACKAGE.name, DEFAULT_WEIGHTS_PACKAGE.version, 'CC-BY-4.0']);
    assert.match(await readFile(path.join(out, 'LICENSE.md'), 'utf8'), /Simonyan .* Zisserman[\s\S]*CC BY 4\.0/);

    const modelJson = JSON.parse(await readFile(path.join(out, 'vgg16/model.json'), 'utf8')) as LayersModelJson;
    const files = (await readdir(path.join(out, 'vgg16'))).filter((f) => f.endsWith('.bin')).sort();
    assert.deepEqual(Object.keys(modelJson.integrity!).sort(), files);
    for (const file of files) {
      const digest = createHash('sha256').update(await readFile(path.join(out, 'vgg16', file))).digest('hex');
      assert.equal(modelJson.integrity![file], digest, file);
      const original = await readFile(path.join(path.dirname(vgg16), file));
      assert.equal((await readFile(path.join(out, 'vgg16', file))).byteLength * 2, original.byteLength, `${file} is half its float32 size`);
    }

    const exact = decodeConvWeights(await readModelFiles(source));
    const half = decodeConvWeights(await readModelFiles((await layersModelFolderSource(path.join(out, 'vgg16/model.json'))).source));
    assert.deepEqual([...half.keys()], [...exact.keys()]);
    for (const [layer, { kernel, kernelShape }] of exact) {
      assert.deepEqual(half.get(layer)!.kernelShape, kernelShape);
      let worst = 0;
      for (let i = 0; i < kernel.length; i++) if (Math.abs(kernel[i]) > 1e-4) worst = Math.max(worst, Math.abs(half.get(layer)!.kernel[i] - kernel[i]) / Math.abs(kernel[i]));
      assert.ok(worst <= 2 ** -11, `${layer}: relative error ${worst} is above float16's half ulp`);
    }
  });

  it('rounds to nearest even and saturates to infinity like IEEE 754', () => {
    const values = new Float32Array([1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65504, 65520, 2 ** -24, 2 ** -26, -0.1, NaN]);
    assert.deepEqual(Array.from(float32ToFloat16(values)), [0x3c00, 0x3c00, 0x3c02, 0x7bff, 0x7c00, 0x0001, 0x0000, 0xae66, 0x7e00]);
  });
});
