import type { BridgeJob } from '../types.ts';

/** Content-Type of `POST /v1/jobs` (packages/node-runner/src/serve/jobs/jobEnvelope.ts). */
export const JOB_CONTENT_TYPE = 'application/vnd.pastiche.job';

/**
 * The runner's job envelope: a 4-byte little-endian header length, the JSON header (options, each
 * image's byte length and weight, preview settings), then the image files as they are, content first.
 * Images travel as their own bytes, not base64.
 */
export function encodeJobBody(job: BridgeJob): Blob {
  const header = {
    options: job.options,
    content: { bytes: job.content.bytes.byteLength },
    styles: job.styles.map((s) => ({ weight: s.weight, bytes: s.image.bytes.byteLength })),
    ...(job.preview ? { preview: job.preview } : {}),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.byteLength, true);
  const parts = [length, json, job.content.bytes, ...job.styles.map((s) => s.image.bytes)];
  return new Blob(parts as BlobPart[], { type: JOB_CONTENT_TYPE });
}
