import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHECKPOINT_FORMAT_VERSION,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  encodeCheckpointParts,
  readCheckpoint,
  stylize,
  type CheckpointSource,
  type Engine,
  type RgbaImage,
  type StylizeCheckpoint,
  type StylizeRequest,
} from '../../src/index.ts';

const image = (width: number, height: number, value: number): RgbaImage => ({ width, height, data: new Uint8Array(width * height * 4).fill(value) });

/** An engine that only names itself (and its library's version): stylize refuses a mismatched checkpoint before any evaluation. */
const namedEngine = (name: string, runtime?: string): Engine => ({
  name,
  runtime,
  model: 'vgg16',
  availableLayers: [],
  limits: {},
  checkLayers() {},
  prepareScale: () => Promise.reject(new Error('a refused checkpoint must not reach the engine')),
  dispose() {},
});

/** `value` without its undefined fields, which the format's JSON header does not keep. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
}

/** Bytes read as a file is: by offset, each read a buffer of its own. */
const sourceOf = (bytes: Uint8Array): CheckpointSource => ({ length: bytes.length, read: async (offset, length) => bytes.slice(offset, offset + length) });

const REQUEST: StylizeRequest = {
  content: image(40, 30, 100),
  styles: [{ image: image(20, 20, 200) }],
  options: { model: 'vgg16', size: 32, contentLayers: ['block1_conv2'], styleLayers: ['block1_conv1'], evaluations: 8, seed: 3, init: 'random' },
};

/** The checkpoint stylize takes at its first step boundary, with the engine named `engine`. */
async function firstCheckpoint(request: StylizeRequest, engine = 'fake-a', runtime?: string): Promise<StylizeCheckpoint> {
  const x = new Float32Array(24 * 32 * 3);
  let taken: StylizeCheckpoint | undefined;
  const evaluating: Engine = {
    ...namedEngine(engine, runtime),
    prepareScale: async () => ({
      height: 24,
      width: 32,
      evaluate: async (at) => ({ terms: { total: at.reduce((a, v) => a + v * v, 0), content: 0, style: 0, tv: 0 }, gradient: at.map((v) => 2 * v) }),
      dispose() {},
    }),
  };
  const controller = new AbortController();
  await assert.rejects(
    stylize(evaluating, request, {
      signal: controller.signal,
      checkpointEvery: { evaluations: 1, ms: Infinity, maxShare: 1 },
      onCheckpoint(c) {
        taken = c;
        controller.abort();
      },
    }),
    { name: 'AbortError' },
  );
  assert.equal(x.length, taken!.optimizer!.x.length);
  return taken!;
}

describe('the checkpoint format', () => {
  it('round-trips a checkpoint: its arrays exactly (one shared array stored once), non-finite numbers, the host’s JSON', async () => {
    const checkpoint = { ...(await firstCheckpoint(REQUEST)), host: { args: ['--size', '32'], note: 'ü' } };
    const state = checkpoint.optimizer!;
    assert.ok(state.tracked.best, 'the state has a best point');
    // The first step's x is also the best point so far: one array, referred to twice.
    assert.equal(state.x, state.tracked.best.x);
    const withInfinity = { ...checkpoint, position: { ...checkpoint.position, elapsedMs: Infinity } };
    const bytes = encodeCheckpoint(withInfinity);
    const decoded = decodeCheckpoint(bytes);
    assert.deepEqual(decoded, withoutUndefined(withInfinity));
    assert.equal(decoded.optimizer!.x, decoded.optimizer!.tracked.best!.x);
    assert.ok(bytes.length < 3 * state.x.byteLength + 8192, `${bytes.length} bytes: the shared array is stored once`);
    // The same bytes as parts (the arrays' own memory among them), and read back piece by piece.
    assert.deepEqual(Buffer.concat(encodeCheckpointParts(withInfinity)), Buffer.from(bytes));
    assert.ok(encodeCheckpointParts(withInfinity).some((part) => part.buffer === state.x.buffer), 'a part is the array itself, not a copy');
    assert.deepEqual(await readCheckpoint(sourceOf(bytes)), decoded);
    // From a file: a Buffer, perhaps a view into a larger pool at an odd offset.
    const pooled = Buffer.alloc(bytes.length + 13);
    pooled.set(bytes, 13);
    assert.deepEqual(decodeCheckpoint(pooled.subarray(13)), decoded);
  });

  it('refuses what is not a checkpoint, a truncated one, a corrupt one and one of another format version, each with a line saying which', async () => {
    const bytes = encodeCheckpoint(await firstCheckpoint(REQUEST));
    // Each refused alike from bytes (decodeCheckpoint) and from a source read piece by piece (readCheckpoint).
    const refusal = (b: Uint8Array, problem: string, message: RegExp) => async () => {
      const refused = (e: unknown) => e instanceof CheckpointError && e.problem === problem && message.test(e.message) && !e.message.includes('\n');
      assert.throws(() => decodeCheckpoint(b), refused);
      await assert.rejects(readCheckpoint(sourceOf(b)), refused);
    };
    await refusal(new TextEncoder().encode('{"not": "a checkpoint"}'), 'not-a-checkpoint', /^not a Pastiche checkpoint/)();
    await refusal(new Uint8Array(0), 'truncated', /^checkpoint truncated: 0 bytes/)();
    await refusal(bytes.subarray(0, 12), 'truncated', /truncated/)();
    await refusal(bytes.subarray(0, bytes.length - 1), 'truncated', new RegExp(`truncated: ${bytes.length - 1} of its ${bytes.length} bytes`))();
    await refusal(bytes.subarray(0, 1000), 'truncated', /truncated/)();
    for (const at of [40, bytes.length >> 1, bytes.length - 2]) {
      const flipped = bytes.slice();
      flipped[at] ^= 0x10;
      refusal(flipped, 'corrupt', /corrupt: its checksum does not match/)();
    }
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    await refusal(longer, 'corrupt', /corrupt: 3 bytes more/)();
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(8, CHECKPOINT_FORMAT_VERSION + 1, true);
    await refusal(future, 'version', new RegExp(`format version ${CHECKPOINT_FORMAT_VERSION + 1}; this Pastiche reads version ${CHECKPOINT_FORMAT_VERSION}`))();
  });
});

describe('stylize with request.resume', () => {
  const refuses = async (checkpoint: StylizeCheckpoint, request: StylizeRequest, message: RegExp, engine = 'fake-a') =>
    assert.rejects(stylize(namedEngine(engine), { ...request, resume: checkpoint }), (e: unknown) => e instanceof CheckpointError && e.problem === 'mismatch' && message.test(e.message));

  it('refuses the checkpoint of another run, naming the difference: content, a style, a mask, an option, the engine', async () => {
    const checkpoint = decodeCheckpoint(encodeCheckpoint(await firstCheckpoint(REQUEST)));
    await refuses(checkpoint, { ...REQUEST, content: image(40, 30, 101) }, /^checkpoint is of another run: the content was "40×30 sha256:[0-9a-f]{64}", is "40×30 sha256:/);
    await refuses(checkpoint, { ...REQUEST, styles: [{ image: image(20, 20, 200), weight: 2 }] }, /styles\[0\]\.weight was 1, is 2/);
    await refuses(checkpoint, { ...REQUEST, styles: [{ image: image(20, 20, 200), mask: image(40, 30, 255) }] }, /styles\[0\]\.mask was undefined, is "40×30 sha256:/);
    await refuses(checkpoint, { ...REQUEST, options: { ...REQUEST.options, styleWeight: 7 } }, /options\.styleWeight was \d+(\.\d+)?, is 7/);
    await refuses(checkpoint, { ...REQUEST, options: { ...REQUEST.options, seed: 4 } }, /options\.seed was 3, is 4/);
    await refuses(checkpoint, REQUEST, /the engine's name was "fake-a", is "fake-b"/, 'fake-b');
  });

  it('refuses a checkpoint written by another version of the engine\'s library, naming both versions', async () => {
    const checkpoint = decodeCheckpoint(encodeCheckpoint(await firstCheckpoint(REQUEST, 'onnx-cpu', 'onnxruntime-node 1.29.0')));
    assert.equal(checkpoint.identity.engine.runtime, 'onnxruntime-node 1.29.0');
    await assert.rejects(
      stylize(namedEngine('onnx-cpu', 'onnxruntime-node 1.30.0'), { ...REQUEST, resume: checkpoint }),
      (e: unknown) => e instanceof CheckpointError && e.problem === 'mismatch' && /^checkpoint is of another run: the engine's runtime was "onnxruntime-node 1\.29\.0", is "onnxruntime-node 1\.30\.0"$/.test(e.message),
    );
  });

  it('takes the checkpoint’s seed when the request gives none', async () => {
    const checkpoint = await firstCheckpoint(REQUEST);
    const { seed: _, ...withoutSeed } = REQUEST.options!;
    // Past the identity check, the fake engine's prepareScale is what fails.
    await assert.rejects(stylize(namedEngine('fake-a'), { ...REQUEST, options: withoutSeed, resume: checkpoint }), /must not reach the engine/);
  });
});
