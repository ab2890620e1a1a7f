import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeJobEnvelope, parseJobEnvelope } from '@pastiche/web-bridge/wire';
import { splitJobBody } from '../../src/serve/uploads/splitJobBody.ts';

const bytes = (length: number, value: number) => new Uint8Array(length).fill(value);

/** The body in pieces of `size` bytes, as a socket might deliver it. */
async function* pieces(body: Uint8Array, size: number) {
  for (let at = 0; at < body.byteLength; at += size) yield body.subarray(at, at + size);
}

describe('splitJobBody: a job body to a file per image as it arrives', () => {
  const body = encodeJobEnvelope({ content: bytes(1000, 1), contentMask: bytes(10, 2), styles: [{ image: bytes(300, 3), mask: bytes(7, 4) }, { image: bytes(5, 5), weight: 2 }] });
  // A job's folder each, all in one removed at the end.
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pastiche-split-'));
  });
  after(() => rm(root, { recursive: true, force: true }));
  const folder = () => mkdtemp(path.join(root, 'job-'));

  for (const size of [1, 3, 64, 100_000]) {
    test(`in pieces of ${size} bytes, with and without a Content-Length, each image lands whole in its own file`, async () => {
      for (const declared of [body.byteLength, undefined]) {
        const dir = await folder();
        const split = await splitJobBody(pieces(body, size), declared, dir);
        const expected = parseJobEnvelope(body);
        assert.deepEqual(split.header, expected.header);
        const read = async (file: string | undefined) => file && new Uint8Array(await readFile(file));
        assert.deepEqual(await read(split.content), expected.content);
        assert.deepEqual(await read(split.contentMask), expected.contentMask);
        assert.deepEqual(await Promise.all(split.styles.map(read)), expected.styles);
        assert.deepEqual(await Promise.all(split.styleMasks.map(read)), expected.styleMasks);
        assert.deepEqual((await readdir(dir)).sort(), ['content-mask.img', 'content.img', 'style-0-mask.img', 'style-0.img', 'style-1.img']);
      }
    });
  }

  test('a body that does not match its header is refused as parseJobEnvelope refuses it', async () => {
    const longer = new Uint8Array([...body, 9, 9]);
    const message = (b: Uint8Array) => {
      try {
        parseJobEnvelope(b);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('parsed');
    };
    // With a Content-Length, before any image byte is written.
    await assert.rejects(splitJobBody(pieces(longer, 50), longer.byteLength, await folder()), { message: message(longer) });
    // Without one, when the body ends or runs past the images.
    await assert.rejects(splitJobBody(pieces(body.subarray(0, -1), 50), undefined, await folder()), { message: message(body.subarray(0, -1)) });
    await assert.rejects(splitJobBody(pieces(longer, 50), undefined, await folder()), /announces 1322 image bytes .* but \d+ follow/);
    await assert.rejects(splitJobBody(pieces(body.subarray(0, 3), 1), undefined, await folder()), { message: message(body.subarray(0, 3)) });
  });
});
