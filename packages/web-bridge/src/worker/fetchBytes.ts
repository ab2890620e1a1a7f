import { whyNoAnswer } from '../weights/checkWeightsSource.ts';
import { problemOfStatus, WeightsFetchError } from '../weights/weightsProblem.ts';

/** A file's bytes, reporting bytes received as they arrive; a failed request says its URL and status. */
export async function fetchBytes(url: string, init: RequestInit, onBytes?: (received: number) => void): Promise<Uint8Array> {
  // A refused connection or a CORS failure is a bare TypeError ("Failed to fetch"): say which file it was.
  const response = await fetch(url, init).catch(async (error: Error) => {
    throw new WeightsFetchError(await whyNoAnswer(url), `${url}: ${error.message}`);
  });
  if (!response.ok) {
    throw new WeightsFetchError(problemOfStatus(url, response.status), `${url}: HTTP ${response.status}${response.status === 401 ? ' (not paired: wrong or missing token)' : ''}`);
  }
  if (!onBytes || !response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onBytes(received);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
