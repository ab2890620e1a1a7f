import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEventStream, type ServerSentEvent } from '../src/index.ts';

function streamOf(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(chunks: Array<string | Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of parseEventStream(streamOf(chunks))) events.push(event);
  return events;
}

/** The same bytes cut into pieces of `size`, wherever that falls (inside a CRLF, inside a UTF-8 sequence). */
function cut(bytes: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return pieces;
}

const STREAM =
  '\uFEFFevent: progress\r\ndata: {"evaluation":1,"note":"café ✓"}\r\n\r\n' +
  ': heartbeat\n\n' +
  'event: preview\ndata: line one\ndata: line two\nid: 7\n\n' +
  'data:no space\r\r' +
  'event: done\ndata: {}\n\n';

const EXPECTED: ServerSentEvent[] = [
  { event: 'progress', data: '{"evaluation":1,"note":"café ✓"}' },
  { event: 'preview', data: 'line one\nline two', id: '7' },
  { event: 'message', data: 'no space', id: '7' },
  { event: 'done', data: '{}', id: '7' },
];

describe('parseEventStream', () => {
  it('parses events, skipping comments, joining data lines, with CRLF, LF and CR line ends', async () => {
    assert.deepEqual(await collect([STREAM]), EXPECTED);
  });

  it('gives the same events however the bytes are split across chunks', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (const size of [1, 2, 3, 5, 7, 13, 64]) assert.deepEqual(await collect(cut(bytes, size)), EXPECTED, `chunks of ${size} bytes`);
  });

  it('drops an event the stream ends before dispatching', async () => {
    assert.deepEqual(await collect(['event: done\ndata: {}\n\nevent: progress\ndata: {"cut":']), [{ event: 'done', data: '{}' }]);
  });

  it('cancels the body when the reader stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: x\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of parseEventStream(body)) {
      assert.equal(event.data, 'x');
      break;
    }
    assert.ok(cancelled);
  });
});
