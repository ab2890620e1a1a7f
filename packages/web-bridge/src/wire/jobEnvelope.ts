import { Type, type Static } from '@sinclair/typebox';
import { PasticheInputError, StylizeOptionsSchema } from '@pastiche/core';

/**
 * Wire format of `POST /v1/jobs`, Content-Type `application/vnd.pastiche.job` (images travel as their
 * files' bytes, not base64 in JSON, and no multipart parser is needed on either side):
 *
 *   4 bytes   N, the length of the header, unsigned 32-bit little-endian
 *   N bytes   the header, UTF-8 JSON (JobHeaderSchema):
 *               { "options"?: {…StylizeOptions},
 *                 "content": { "bytes": L0 },
 *                 "styles":  [ { "weight"?: 0.7, "bytes": L1 }, { "weight"?: 0.3, "bytes": L2 }, … ],
 *                 "preview"?: { "every"?: 10, "maxSide"?: 256 } }
 *   L0 bytes  the content image file (PNG, JPEG, WebP, …)
 *   L1 bytes  the first style image file, then L2 bytes the second, …
 *
 * The lengths add up to the body exactly; nothing may follow.
 */
export const JOB_CONTENT_TYPE = 'application/vnd.pastiche.job';
export const MAX_HEADER_BYTES = 64 * 1024;

export const JobHeaderSchema = Type.Object(
  {
    options: Type.Optional(StylizeOptionsSchema),
    content: Type.Object({ bytes: Type.Integer({ minimum: 1, description: 'byte length of the content image file' }) }, { additionalProperties: false }),
    // No maxItems here: the runner's --max-styles answers with a 422 naming the limit.
    styles: Type.Array(
      Type.Object(
        {
          weight: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12, description: 'blend weight (default 1; normalised to sum 1)' })),
          bytes: Type.Integer({ minimum: 1, description: 'byte length of this style image file' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    preview: Type.Optional(
      Type.Object(
        {
          every: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'a preview every N evaluations (0 = none; default 10)' })),
          maxSide: Type.Optional(Type.Integer({ minimum: 16, maximum: 1024, description: 'longest side of a preview, px (default 256)' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type JobHeader = Static<typeof JobHeaderSchema>;

export interface JobEnvelopeInput {
  options?: JobHeader['options'];
  content: Uint8Array;
  styles: Array<{ image: Uint8Array; weight?: number }>;
  preview?: JobHeader['preview'];
}

/** The body's pieces in order (length, header, images), for `new Blob(parts)` in a browser, without copying the images. */
export function jobEnvelopeParts(input: JobEnvelopeInput): Uint8Array[] {
  const header: JobHeader = {
    ...(input.options ? { options: input.options } : {}),
    content: { bytes: input.content.byteLength },
    styles: input.styles.map((s) => ({ ...(s.weight === undefined ? {} : { weight: s.weight }), bytes: s.image.byteLength })),
    ...(input.preview ? { preview: input.preview } : {}),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.byteLength, true);
  return [length, json, input.content, ...input.styles.map((s) => s.image)];
}

/** The whole body as one array (no Node Buffer: works in browsers too). */
export function encodeJobEnvelope(input: JobEnvelopeInput): Uint8Array<ArrayBuffer> {
  const parts = jobEnvelopeParts(input);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export interface JobEnvelope {
  /** The header as sent: its fields are checked against JobHeaderSchema afterwards. */
  header: unknown;
  content: Uint8Array;
  styles: Uint8Array[];
}

/**
 * Splits a job body into its header and image bytes (views into `body`, no copies). Checks only what the
 * split needs; the header's fields are validated against JobHeaderSchema. Throws PasticheInputError.
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
