import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeJobBody } from '../src/runner/encodeJobBody.ts';
import { encodeJobEnvelope, jobEnvelopeLayout, parseJobEnvelope } from '../src/wire/jobEnvelope.ts';

const bytes = (...v: number[]) => Uint8Array.from(v);

describe('the job envelope with masks', () => {
  it('puts each mask after its image and reads every part back where it belongs', async () => {
    const input = {
      content: bytes(1, 1),
      contentMask: bytes(2),
      styles: [{ image: bytes(3, 3, 3), mask: bytes(4, 4) }, { image: bytes(5), weight: 2 }, { image: bytes(6), mask: bytes(7, 7, 7, 7) }],
    };
    const body = encodeJobEnvelope(input);
    const parsed = parseJobEnvelope(body);
    assert.deepEqual(parsed.header, {
      content: { bytes: 2 },
      contentMask: { bytes: 1 },
      styles: [{ bytes: 3, mask: { bytes: 2 } }, { weight: 2, bytes: 1 }, { bytes: 1, mask: { bytes: 4 } }],
    });
    assert.deepEqual([parsed.content, parsed.contentMask, ...parsed.styles, ...parsed.styleMasks].map((p) => p && [...p]), [[1, 1], [2], [3, 3, 3], [5], [6], [4, 4], undefined, [7, 7, 7, 7]]);
    // The browsers' runner client sends the same bytes.
    const blob = encodeJobBody({ content: { bytes: input.content }, contentMask: { bytes: input.contentMask }, styles: input.styles.map((s) => ({ image: { bytes: s.image }, weight: s.weight ?? 1, mask: s.mask && { bytes: s.mask } })), options: {} });
    assert.deepEqual(parseJobEnvelope(new Uint8Array(await blob.arrayBuffer())).styleMasks.map((m) => m && [...m]), [[4, 4], undefined, [7, 7, 7, 7]]);
  });

  it('carries the init image (a result to refine) after the content mask, from both encoders', async () => {
    const input = { content: bytes(1), contentMask: bytes(2, 2), initImage: bytes(9, 9, 9), styles: [{ image: bytes(3) }], options: { init: 'image' as const } };
    const parsed = parseJobEnvelope(encodeJobEnvelope(input));
    assert.deepEqual(parsed.header, { options: { init: 'image' }, content: { bytes: 1 }, contentMask: { bytes: 2 }, initImage: { bytes: 3 }, styles: [{ bytes: 1 }] });
    assert.deepEqual([parsed.content, parsed.contentMask, parsed.initImage, parsed.styles[0]].map((p) => [...p!]), [[1], [2, 2], [9, 9, 9], [3]]);
    const blob = encodeJobBody({ content: { bytes: input.content }, initImage: { bytes: input.initImage }, styles: [{ image: { bytes: bytes(3) }, weight: 1 }], options: { init: 'image' } });
    assert.deepEqual([...parseJobEnvelope(new Uint8Array(await blob.arrayBuffer())).initImage!], [9, 9, 9]);
  });

  it('names a mask whose length is missing, and counts mask bytes in the total', () => {
    const header = (h: object) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(4 + json.length + 3);
      new DataView(out.buffer).setUint32(0, json.length, true);
      out.set(json, 4);
      return out;
    };
    assert.throws(() => parseJobEnvelope(header({ content: { bytes: 1 }, styles: [{ bytes: 1, mask: {} }] })), /styles\[0\]\.mask\.bytes: expected the byte length/);
    assert.throws(() => parseJobEnvelope(header({ content: { bytes: 1 }, styles: [{ bytes: 1, mask: { bytes: 5 } }] })), /announces 7 image bytes .* but 3 follow/);
  });

  it('lays a body out from its first bytes and its length alone, without its images', () => {
    const body = encodeJobEnvelope({ content: bytes(1, 1), styles: [{ image: bytes(3, 3, 3), mask: bytes(4) }] });
    const headerEnd = 4 + new DataView(body.buffer).getUint32(0, true);
    const layout = jobEnvelopeLayout(body.subarray(0, headerEnd), body.byteLength);
    assert.deepEqual([layout.content, ...layout.styles, ...layout.styleMasks], [
      { offset: headerEnd, length: 2 },
      { offset: headerEnd + 2, length: 3 },
      { offset: headerEnd + 5, length: 1 },
    ]);
    // A body still arriving (no length yet) is laid out; one whose length is known is checked against it.
    assert.equal(jobEnvelopeLayout(body.subarray(0, headerEnd)).styleMasks[0]?.length, 1);
    assert.throws(() => jobEnvelopeLayout(body.subarray(0, headerEnd), body.byteLength + 1), /announces 6 image bytes .* but 7 follow/);
    assert.throws(() => jobEnvelopeLayout(body.subarray(0, 10), 10), /the header announces \d+ bytes but the body has only 6 after the length/);
  });
});
