import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeConvWeights, readModelFiles, sha256Hex, vggConvLayerNames, type Integrity, type LoadProgress } from '../src/index.ts';
import { MODELS_DIR } from './helpers/paths.ts';
import { realWeightsSource } from './helpers/weights.ts';

const VGG16_DIR = path.join(MODELS_DIR, 'vgg16');
const SHARDS = ['block1_conv1.bin', 'block1_conv2.bin', 'block2_conv1.bin', 'block2_conv2.bin', 'block3_conv1.bin', 'block3_conv2.bin', 'block3_conv3.bin'];

/** sha256 of each real file, computed here with node:crypto (independently of the code under test). */
async function realIntegrity(): Promise<Integrity> {
  const integrity: Integrity = {};
  for (const file of ['model.json', ...SHARDS]) {
    integrity[file] = createHash('sha256').update(await readFile(path.join(VGG16_DIR, file))).digest('hex');
  }
  return integrity;
}

describe('readModelFiles with an integrity map (real VGG16 blocks 1–3)', () => {
  it('passes when every sha256 is right, reading model.json and every shard in order with progress', async () => {
    const integrity = await realIntegrity();
    const progress: LoadProgress[] = [];
    const files = await readModelFiles(realWeightsSource('vgg16', integrity), (p) => progress.push(p));
    const sizes = await Promise.all(SHARDS.map(async (f) => (await readFile(path.join(VGG16_DIR, f))).byteLength));
    assert.equal(files.weightData.byteLength, sizes.reduce((a, b) => a + b, 0));
    assert.deepEqual(
      progress.map((p) => [p.file, p.filesDone, p.filesTotal]),
      ['model.json', ...SHARDS].map((f, i) => [f, i + 1, SHARDS.length + 1]),
    );
    // Upper-case hex is accepted too.
    const upper = Object.fromEntries(Object.entries(integrity).map(([k, v]) => [k, v.toUpperCase()]));
    await readModelFiles(realWeightsSource('vgg16', upper));
  });

  it('a wrong sha256 for one shard fails naming that file and both hashes', async () => {
    const integrity = await realIntegrity();
    const right = integrity['block2_conv1.bin'];
    const wrong = right.slice(0, -1) + (right.endsWith('0') ? '1' : '0');
    await assert.rejects(readModelFiles(realWeightsSource('vgg16', { ...integrity, 'block2_conv1.bin': wrong })), (error: Error) => {
      assert.match(error.message, /weights file block2_conv1\.bin failed its integrity check/);
      assert.ok(error.message.includes(wrong) && error.message.includes(right), error.message);
      return true;
    });
    // A wrong hash for model.json itself is caught before any shard is read.
    const read: string[] = [];
    const source = realWeightsSource('vgg16', { 'model.json': '0'.repeat(64) });
    const spying = { ...source, read: (file: string) => (read.push(file), source.read(file)) };
    await assert.rejects(readModelFiles(spying), /weights file model\.json failed its integrity check/);
    assert.deepEqual(read, ['model.json']);
  });

  it('a file whose bytes were altered fails against its real hash', async () => {
    const integrity = await realIntegrity();
    const source = realWeightsSource('vgg16', integrity);
    const tampered = {
      ...source,
      async read(file: string) {
        const bytes = await source.read(file);
        if (file === 'block3_conv3.bin') bytes[1000] ^= 1;
        return bytes;
      },
    };
    await assert.rejects(readModelFiles(tampered), /block3_conv3\.bin failed its integrity check/);
  });

  it('sha256Hex agrees with node:crypto', async () => {
    const bytes = new TextEncoder().encode('pastiche');
    assert.equal(await sha256Hex(bytes), createHash('sha256').update(bytes).digest('hex'));
    assert.equal(await sha256Hex(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('decodeConvWeights (real VGG16 blocks 1–3)', () => {
  it('block1_conv1 kernel[0,0,0,0] = 0.42947057 and bias[25] = 0.7446502; every layer has the VGG shapes', async () => {
    const layers = decodeConvWeights(await readModelFiles(realWeightsSource('vgg16')));
    const conv1 = layers.get('block1_conv1')!;
    assert.deepEqual(conv1.kernelShape, [3, 3, 3, 64]);
    assert.equal(conv1.kernel[0], Math.fround(0.42947057));
    assert.equal(conv1.bias[25], Math.fround(0.7446502));
    assert.deepEqual([...layers.keys()], vggConvLayerNames('vgg16').slice(0, 7));
    const expected: Record<string, [number, number]> = {
      block1_conv2: [64, 64],
      block2_conv1: [64, 128],
      block2_conv2: [128, 128],
      block3_conv1: [128, 256],
      block3_conv3: [256, 256],
    };
    for (const [name, [i, o]] of Object.entries(expected)) {
      const w = layers.get(name)!;
      assert.deepEqual(w.kernelShape, [3, 3, i, o], name);
      assert.equal(w.kernel.length, 9 * i * o, name);
      assert.equal(w.bias.length, o, name);
    }
  });

  it('reads the same values as the raw little-endian shard bytes (kernel first, then bias)', async () => {
    const layers = decodeConvWeights(await readModelFiles(realWeightsSource('vgg16')));
    const raw = await readFile(path.join(VGG16_DIR, 'block2_conv2.bin'));
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const w = layers.get('block2_conv2')!;
    const kernelBytes = 9 * 128 * 128 * 4;
    assert.equal(raw.byteLength, kernelBytes + 128 * 4);
    for (const i of [0, 1, 12345, 9 * 128 * 128 - 1]) assert.equal(w.kernel[i], view.getFloat32(4 * i, true), `kernel[${i}]`);
    for (const i of [0, 127]) assert.equal(w.bias[i], view.getFloat32(kernelBytes + 4 * i, true), `bias[${i}]`);
  });

  it('truncated weight data is refused naming the weight', async () => {
    const files = await readModelFiles(realWeightsSource('vgg16'));
    assert.throws(() => decodeConvWeights({ ...files, weightData: files.weightData.slice(0, files.weightData.byteLength - 4) }), /truncated: block3_conv3\/bias/);
  });
});

describe('decodeConvWeights with float16 storage', () => {
  it('reads half-precision kernels and biases as float32, exactly where float16 is exact', () => {
    // Bit patterns: 1, -2, 0.5, 65504 (largest), 2^-24 (smallest subnormal), -0, 0.1 (rounded), Inf, NaN.
    const kernelBits = [0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x8000, 0x2e66, 0x7c00, 0x7e00];
    const biasBits = [0x3c00];
    const weightData = new Uint16Array([...kernelBits, ...biasBits]).buffer;
    const layers = decodeConvWeights({
      modelJson: {
        modelTopology: {},
        weightsManifest: [{ paths: ['l.bin'], weights: [
          { name: 'block1_conv1/kernel', shape: [1, 1, 1, 9], dtype: 'float32', quantization: { dtype: 'float16' } },
          { name: 'block1_conv1/bias', shape: [1], dtype: 'float32', quantization: { dtype: 'float16' } },
        ] }],
      },
      weightData,
    });
    const layer = layers.get('block1_conv1')!;
    assert.deepEqual(Array.from(layer.kernel.subarray(0, 7)), [1, -2, 0.5, 65504, 2 ** -24, -0, 0.0999755859375]);
    assert.equal(layer.kernel[7], Infinity);
    assert.ok(Number.isNaN(layer.kernel[8]));
    assert.deepEqual(Array.from(layer.bias), [1]);
  });

  it('says a shard is truncated by the float16 size it needed', () => {
    assert.throws(
      () => decodeConvWeights({
        modelJson: { modelTopology: {}, weightsManifest: [{ paths: ['l.bin'], weights: [{ name: 'block1_conv1/kernel', shape: [3, 3, 3, 64], dtype: 'float32', quantization: { dtype: 'float16' } }] }] },
        weightData: new ArrayBuffer(100),
      }),
      /block1_conv1\/kernel needs bytes up to 3456, have 100/,
    );
  });
});

describe('sha256 without WebCrypto (opaque-origin workers have none)', () => {
  it('agrees with node:crypto on the empty input, block boundaries and a real shard', async () => {
    const { sha256 } = await import('../src/weights/sha256.ts');
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const inputs = [new Uint8Array(0), new Uint8Array(55).fill(97), new Uint8Array(56).fill(97), new Uint8Array(64).fill(1), new Uint8Array(await readFile(path.join(VGG16_DIR, 'block2_conv1.bin')))];
    for (const input of inputs) assert.equal(hex(sha256(input)), createHash('sha256').update(input).digest('hex'), `${input.length} bytes`);
  });
});
