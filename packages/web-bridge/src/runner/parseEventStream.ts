export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Server-Sent Events from a response body, as the HTML standard parses them (§9.2.6): lines end in CRLF,
 * LF or CR, wherever the network splits them; `field: value` with one optional space; `data` lines joined
 * with LF; an event is dispatched at a blank line if it has data; comments (heartbeats) are skipped.
 * Stopping the iteration cancels the body.
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  // getReader, not for-await: ReadableStream is async-iterable only in recent browsers.
  const reader = body.getReader();
  const decoder = new TextDecoder(); // streaming mode keeps a UTF-8 sequence split across chunks whole
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let first = true;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (first && buffer.length > 0) {
        buffer = buffer.replace(/^\uFEFF/, '');
        first = false;
      }
      for (;;) {
        const end = buffer.search(/\r\n|\r|\n/);
        // A CR at the end of what has arrived may be the first half of a CRLF.
        if (end < 0 || (!done && buffer[end] === '\r' && end === buffer.length - 1)) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n'), ...(id === undefined ? {} : { id }) };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const fieldValue = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = fieldValue;
        else if (field === 'data') data.push(fieldValue);
        else if (field === 'id' && !fieldValue.includes('\0')) id = fieldValue;
      }
      if (done) return; // an event without its closing blank line is dropped, as the standard says
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
