import { PasticheInputError, type StylizeOptions } from '@pastiche/core';

/**
 * Wire format of `POST /v1/jobs`, Content-Type `application/vnd.pastiche.job` (images travel as their
 * files' bytes, not base64 in JSON, and no multipart parser is needed on either side):
 *
 *   4 bytes   N, the length of the header, unsigned 32-bit little-endian
 *   N bytes   the header, UTF-8 JSON:
 *               { "options"?: {…StylizeOptions},
 *                 "content": { "bytes": L0 },
 *                 "styles":  [ { "weight"?: 0.7, "bytes": L1 }, { "weight"?: 0.3, "bytes": L2 }, … ],
 *                 "preview"?: { "every"?: 10, "maxSide"?: 256 } }
 *   L0 bytes  the content image file (PNG, JPEG, WebP, …)
 *   L1 bytes  the first style image file, then L2 bytes the second, …
 *
 * The lengths add up to the body exactly; nothing may follow. A browser builds it with
 * `new Blob([lengthBytes, headerBytes, contentFile, ...styleFiles])`.
 */
export const JOB_CONTENT_TYPE = 'application/vnd.pastiche.job';
export const MAX_HEADER_BYTES = 64 * 1024;

export interface JobEnvelopeHeader {
  options?: StylizeOptions;
  content: { bytes: number };
  styles: Array<{ weight?: number; bytes: number }>;
  preview?: { every?: number; maxSide?: number };
}

export interface JobEnvelope {
  /** The header as sent: its fields are checked against the route's schema afterwards. */
  header: unknown;
  content: Uint8Array;
  styles: Uint8Array[];
}

export interface JobEnvelopeInput {
  options?: StylizeOptions;
  content: Uint8Array;
  styles: Array<{ image: Uint8Array; weight?: number }>;
  preview?: JobEnvelopeHeader['preview'];
}

/** Builds a job body (works in browsers too: no Node Buffer). */
export function encodeJobEnvelope(input: JobEnvelopeInput): Uint8Array<ArrayBuffer> {
  const header: JobEnvelopeHeader = {
    ...(input.options ? { options: input.options } : {}),
    content: { bytes: input.content.byteLength },
    styles: input.styles.map((s) => ({ ...(s.weight === undefined ? {} : { weight: s.weight }), bytes: s.image.byteLength })),
    ...(input.preview ? { preview: input.preview } : {}),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const parts = [input.content, ...input.styles.map((s) => s.image)];
  const out = new Uint8Array(4 + json.byteLength + parts.reduce((n, p) => n + p.byteLength, 0));
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 4);
  let offset = 4 + json.byteLength;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Splits a job body into its header and image bytes (views into `body`, no copies). Checks only what the
 * split needs; the header's fields are validated by the route's schema. Throws PasticheInputError.
 */
export function parseJobEnvelope(body: Uint8Array): JobEnvelope {
  const layout = `expected a 4-byte little-endian header length, the JSON header, then the images (Content-Type ${JOB_CONTENT_TYPE})`;
  if (body.byteLength < 4) throw new PasticheInputError('body', `${layout}; got ${body.byteLength} bytes`);
  const headerLength = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) {
    throw new PasticheInputError('header', `header length ${headerLength} is out of range (1 to ${MAX_HEADER_BYTES} bytes); ${layout}`);
  }
  if (4 + headerLength > body.byteLength) {
    throw new PasticheInputError('header', `the header announces ${headerLength} bytes but the body has only ${body.byteLength - 4} after the length`);
  }

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(4, 4 + headerLength)));
  } catch (error) {
    throw new PasticheInputError('header', `not valid UTF-8 JSON: ${(error as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new PasticheInputError('header', 'expected a JSON object');
  const { content, styles } = header as { content?: unknown; styles?: unknown };
  if (!Array.isArray(styles) || styles.length === 0) throw new PasticheInputError('styles', 'expected a list of at least one style {weight?, bytes}');
  const lengths = [partLength(content, 'content'), ...styles.map((style, i) => partLength(style, `styles[${i}]`))];

  const imageBytes = body.byteLength - 4 - headerLength;
  const announced = lengths.reduce((a, b) => a + b, 0);
  if (announced !== imageBytes) {
    throw new PasticheInputError('body', `the header announces ${announced} image bytes (content, then each style) but ${imageBytes} follow it`);
  }
  const parts: Uint8Array[] = [];
  let offset = 4 + headerLength;
  for (const length of lengths) {
    parts.push(body.subarray(offset, offset + length));
    offset += length;
  }
  return { header, content: parts[0], styles: parts.slice(1) };
}

function partLength(part: unknown, field: string): number {
  const bytes = (part as { bytes?: unknown } | null)?.bytes;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 1) {
    throw new PasticheInputError(`${field}.bytes`, `expected the byte length of the image file (an integer ≥ 1), got ${JSON.stringify(bytes)}`);
  }
  return bytes;
}
