/** One item of a text/event-stream: a dispatched event, or a comment line (heartbeats). */
export type StreamItem = { kind: 'event'; event: string; data: string; id?: string } | { kind: 'comment'; text: string };

/**
 * Parses Server-Sent Events as the HTML standard specifies them (§9.2.6): lines ended by CRLF, LF or CR;
 * `field: value` with one optional space; `data` lines joined with LF; an event dispatched at a blank line
 * (none when it has no data); the type defaults to "message".
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamItem> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      if (end < 0 || (buffer[end] === '\r' && end === buffer.length - 1)) break; // a CR may be half of a CRLF still to come
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) yield { kind: 'event', event: event || 'message', data: data.join('\n'), id };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) {
        yield { kind: 'comment', text: line.slice(1).trim() };
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
  }
}
