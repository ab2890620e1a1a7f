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
 *                 "contentMask"?: { "bytes": M0 },
 *                 "initImage"?: { "bytes": I0 },
 *                 "styles":  [ { "weight"?: 0.7, "bytes": L1, "mask"?: { "bytes": M1 } }, { "weight"?: 0.3, "bytes": L2 }, … ],
 *                 "preview"?: { "every"?: 10, "maxSide"?: 256 } }
 *   L0 bytes  the content image file (PNG, JPEG, WebP, …), then M0 bytes its mask's file if any, then I0
 *             bytes the image the run starts from if any (options.init "image": an earlier result, to refine)
 *   L1 bytes  the first style image file, then M1 bytes its mask's if any, then L2 bytes the second, …
 * Masks are image files read as StyleInput.mask says (luma × alpha; white paints), any size.
 *
 * The lengths add up to the body exactly; nothing may follow.
 */
export const JOB_CONTENT_TYPE = 'application/vnd.pastiche.job';
export const MAX_HEADER_BYTES = 64 * 1024;

const maskPart = (description: string) =>
  Type.Object({ bytes: Type.Integer({ minimum: 1, description: 'byte length of the mask image file' }) }, { additionalProperties: false, description });

export const JobHeaderSchema = Type.Object(
  {
    options: Type.Optional(StylizeOptionsSchema),
    content: Type.Object({ bytes: Type.Integer({ minimum: 1, description: 'byte length of the content image file' }) }, { additionalProperties: false }),
    contentMask: Type.Optional(maskPart('how strongly the content is kept at each pixel')),
    initImage: Type.Optional(
      Type.Object(
        { bytes: Type.Integer({ minimum: 1, description: 'byte length of the image file' }) },
        { additionalProperties: false, description: 'where the run starts when options.init is "image" (an earlier result, to refine), stretched to the size' },
      ),
    ),
    // No maxItems here: the runner's --max-styles answers with a 422 naming the limit.
    styles: Type.Array(
      Type.Object(
        {
          weight: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12, description: 'blend weight (default 1; normalised to sum 1)' })),
          bytes: Type.Integer({ minimum: 1, description: 'byte length of this style image file' }),
          mask: Type.Optional(maskPart('where this style paints (absent: everywhere)')),
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
  contentMask?: Uint8Array;
  initImage?: Uint8Array;
  styles: Array<{ image: Uint8Array; weight?: number; mask?: Uint8Array }>;
  preview?: JobHeader['preview'];
}

/** The body's pieces in order (length, header, images), for `new Blob(parts)` in a browser, without copying the images. */
export function jobEnvelopeParts(input: JobEnvelopeInput): Uint8Array[] {
  const header: JobHeader = {
    ...(input.options ? { options: input.options } : {}),
    content: { bytes: input.content.byteLength },
    ...(input.contentMask ? { contentMask: { bytes: input.contentMask.byteLength } } : {}),
    ...(input.initImage ? { initImage: { bytes: input.initImage.byteLength } } : {}),
    styles: input.styles.map((s) => ({ ...(s.weight === undefined ? {} : { weight: s.weight }), bytes: s.image.byteLength, ...(s.mask ? { mask: { bytes: s.mask.byteLength } } : {}) })),
    ...(input.preview ? { preview: input.preview } : {}),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.byteLength, true);
  const images = [input.content, ...(input.contentMask ? [input.contentMask] : []), ...(input.initImage ? [input.initImage] : []), ...input.styles.flatMap((s) => (s.mask ? [s.image, s.mask] : [s.image]))];
  return [length, json, ...images];
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
  contentMask?: Uint8Array;
  initImage?: Uint8Array;
  styles: Uint8Array[];
  /** Each style's mask file, where the header announces one. */
  styleMasks: Array<Uint8Array | undefined>;
}

/** Where one image file lies in the body: `length` bytes from `offset`. */
export interface EnvelopePart {
  offset: number;
  length: number;
}

/** A job body's header and where each image file lies in it, read from its first bytes alone. */
export interface JobEnvelopeLayout {
  header: unknown;
  content: EnvelopePart;
  contentMask?: EnvelopePart;
  initImage?: EnvelopePart;
  styles: EnvelopePart[];
  styleMasks: Array<EnvelopePart | undefined>;
}

/** How many of a body's first bytes jobEnvelopeLayout needs at most: the length and the longest header. */
export const ENVELOPE_PREFIX_BYTES = 4 + MAX_HEADER_BYTES;

/**
 * Reads a job body's header and where its images lie, from `prefix` (the body's first bytes, at least up to
 * the header's end or all of them) and the body's whole length, so that a body is split as it arrives, without
 * holding its images. `bodyLength` undefined (a body of unknown length, still arriving): the images' lengths
 * are not checked against it; the caller checks them at the body's end. Checks only what the split needs; the
 * header's fields are validated against JobHeaderSchema. Throws PasticheInputError.
 */
export function jobEnvelopeLayout(prefix: Uint8Array, bodyLength?: number): JobEnvelopeLayout {
  const layout = `expected a 4-byte little-endian header length, the JSON header, then the images (Content-Type ${JOB_CONTENT_TYPE})`;
  if ((bodyLength ?? prefix.byteLength) < 4) throw new PasticheInputError('body', `${layout}; got ${bodyLength ?? prefix.byteLength} bytes`);
  const headerLength = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength).getUint32(0, true);
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) {
    throw new PasticheInputError('header', `header length ${headerLength} is out of range (1 to ${MAX_HEADER_BYTES} bytes); ${layout}`);
  }
  const known = bodyLength ?? prefix.byteLength;
  if (4 + headerLength > known) {
    throw new PasticheInputError('header', `the header announces ${headerLength} bytes but the body has only ${known - 4} after the length`);
  }
  if (4 + headerLength > prefix.byteLength) throw new Error(`internal error: ${prefix.byteLength} bytes given for a ${headerLength}-byte header`);

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(prefix.subarray(4, 4 + headerLength)));
  } catch (error) {
    throw new PasticheInputError('header', `not valid UTF-8 JSON: ${(error as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new PasticheInputError('header', 'expected a JSON object');
  const { content, contentMask, initImage, styles } = header as { content?: unknown; contentMask?: unknown; initImage?: unknown; styles?: unknown };
  if (!Array.isArray(styles) || styles.length === 0) throw new PasticheInputError('styles', 'expected a list of at least one style {weight?, bytes, mask?}');
  // Each part in body order, with where it goes.
  const announced: Array<{ length: number; put: (part: EnvelopePart, l: JobEnvelopeLayout) => void }> = [{ length: partLength(content, 'content'), put: (p, l) => (l.content = p) }];
  if (contentMask !== undefined) announced.push({ length: partLength(contentMask, 'contentMask'), put: (p, l) => (l.contentMask = p) });
  if (initImage !== undefined) announced.push({ length: partLength(initImage, 'initImage'), put: (p, l) => (l.initImage = p) });
  styles.forEach((style, i) => {
    announced.push({ length: partLength(style, `styles[${i}]`), put: (p, l) => (l.styles[i] = p) });
    const mask = (style as { mask?: unknown } | null)?.mask;
    if (mask !== undefined) announced.push({ length: partLength(mask, `styles[${i}].mask`), put: (p, l) => (l.styleMasks[i] = p) });
  });

  const imageBytes = bodyLength === undefined ? undefined : bodyLength - 4 - headerLength;
  const total = announced.reduce((a, b) => a + b.length, 0);
  if (imageBytes !== undefined && total !== imageBytes) {
    throw new PasticheInputError('body', `the header announces ${total} image bytes (content, then each style, masks after their images) but ${imageBytes} follow it`);
  }
  const result: JobEnvelopeLayout = { header, content: { offset: 0, length: 0 }, styles: [], styleMasks: styles.map(() => undefined) };
  let offset = 4 + headerLength;
  for (const { length, put } of announced) {
    put({ offset, length }, result);
    offset += length;
  }
  return result;
}

/** Splits a whole job body into its header and image bytes (views into `body`, no copies). Throws PasticheInputError. */
export function parseJobEnvelope(body: Uint8Array): JobEnvelope {
  const { header, content, contentMask, initImage, styles, styleMasks } = jobEnvelopeLayout(body, body.byteLength);
  const view = (part: EnvelopePart) => body.subarray(part.offset, part.offset + part.length);
  return {
    header,
    content: view(content),
    ...(contentMask && { contentMask: view(contentMask) }),
    ...(initImage && { initImage: view(initImage) }),
    styles: styles.map(view),
    styleMasks: styleMasks.map((part) => part && view(part)),
  };
}

function partLength(part: unknown, field: string): number {
  const bytes = (part as { bytes?: unknown } | null)?.bytes;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 1) {
    throw new PasticheInputError(`${field}.bytes`, `expected the byte length of the image file (an integer ≥ 1), got ${JSON.stringify(bytes)}`);
  }
  return bytes;
}
