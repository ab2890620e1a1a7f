import type { BridgeJob } from '../types.ts';
import { JOB_CONTENT_TYPE, jobEnvelopeParts } from '../wire/jobEnvelope.ts';

/** The runner's job envelope (wire/jobEnvelope.ts) as a Blob: the image files go in as they are, not copied into one array. */
export function encodeJobBody(job: BridgeJob): Blob {
  const parts = jobEnvelopeParts({
    options: job.options,
    content: job.content.bytes,
    contentMask: job.contentMask?.bytes,
    initImage: job.initImage?.bytes,
    styles: job.styles.map((s) => ({ image: s.image.bytes, weight: s.weight, mask: s.mask?.bytes })),
    preview: job.preview,
  });
  return new Blob(parts as BlobPart[], { type: JOB_CONTENT_TYPE });
}
