import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { ENVELOPE_PREFIX_BYTES, jobEnvelopeLayout, type EnvelopePart, type JobEnvelopeLayout } from '@pastiche/web-bridge/wire';

/** A job body as the spool keeps it: its header, and a file for each image (paths, in the envelope's roles). */
export interface SpooledEnvelope {
  /** As sent: its fields are checked against JobHeaderSchema afterwards. */
  header: unknown;
  content: string;
  contentMask?: string;
  initImage?: string;
  styles: string[];
  styleMasks: Array<string | undefined>;
  /** Every image file of the upload. */
  files: string[];
}

/**
 * Splits a job body (`application/vnd.pastiche.job`) as it arrives: the length and header are kept in memory
 * (at most ENVELOPE_PREFIX_BYTES), each image is written to its own file of `folder`, a chunk at a time. With
 * a Content-Length (`declared`) the header's image lengths are checked against it before any image byte is
 * written. Throws PasticheInputError for a body that does not match its header, as parseJobEnvelope would.
 */
export async function splitJobBody(chunks: AsyncIterable<Uint8Array>, declared: number | undefined, folder: string): Promise<SpooledEnvelope> {
  const prefix = new Uint8Array(ENVELOPE_PREFIX_BYTES);
  let filled = 0;
  let received = 0;
  let layout: JobEnvelopeLayout | undefined;
  let parts: Array<EnvelopePart & { file: string }> = [];
  let current = 0;
  let out: WriteStream | undefined;
  let written = 0;

  let writeError: Error | undefined;
  const closeOut = async () => {
    if (!out) return;
    out.end();
    await once(out, 'close');
    out = undefined;
    if (writeError) throw writeError;
  };
  try {
    for await (const chunk of chunks) {
      received += chunk.byteLength;
      let rest = chunk;
      if (!layout) {
        const taken = Math.min(rest.byteLength, prefix.byteLength - filled);
        prefix.set(rest.subarray(0, taken), filled);
        filled += taken;
        rest = rest.subarray(taken);
        const headerEnd = filled >= 4 ? 4 + new DataView(prefix.buffer).getUint32(0, true) : Infinity;
        // Enough to read the header, or to know it is refused (an impossible length).
        if (filled >= Math.min(headerEnd, prefix.byteLength)) {
          layout = jobEnvelopeLayout(prefix.subarray(0, filled), declared);
          parts = partsInOrder(layout, folder);
          // The bytes taken past the header's end are the first image's.
          rest = chunk.subarray(chunk.byteLength - rest.byteLength - (filled - headerEnd));
          filled = headerEnd;
        }
      }
      while (layout && rest.byteLength > 0) {
        const part = parts[current];
        if (!part) throw lengthMismatch(prefix.subarray(0, filled), received);
        if (!out) {
          out = createWriteStream(part.file, { flags: 'wx' });
          out.on('error', (error) => (writeError = error));
        }
        const piece = rest.subarray(0, part.length - written);
        // once() rejects on the stream's error (a full disk) while waiting.
        if (!out.write(piece) && !writeError) await once(out, 'drain');
        if (writeError) throw writeError;
        written += piece.byteLength;
        rest = rest.subarray(piece.byteLength);
        if (written === part.length) {
          await closeOut();
          current++;
          written = 0;
        }
      }
    }
    if (!layout || current < parts.length) throw lengthMismatch(prefix.subarray(0, filled), received);
  } finally {
    // A file left open by a failure is closed before its folder is deleted.
    out?.destroy();
  }
  const file = (part: EnvelopePart | undefined) => part && parts.find((p) => p.offset === part.offset)!.file;
  return {
    header: layout.header,
    content: file(layout.content)!,
    ...(layout.contentMask && { contentMask: file(layout.contentMask) }),
    ...(layout.initImage && { initImage: file(layout.initImage) }),
    styles: layout.styles.map((part) => file(part)!),
    styleMasks: layout.styleMasks.map(file),
    files: parts.map((p) => p.file),
  };
}

/** The error parseJobEnvelope gives for a body of `received` bytes (the header's checks, with the body's true length). */
function lengthMismatch(prefix: Uint8Array, received: number): Error {
  try {
    jobEnvelopeLayout(prefix, received);
  } catch (error) {
    return error as Error;
  }
  return new Error(`internal error: a ${received}-byte body was refused but its layout checks pass`);
}

/** The images in body order, each with its file: content.img, content-mask.img, init.img, style-0.img, style-0-mask.img, … */
function partsInOrder(layout: JobEnvelopeLayout, folder: string): Array<EnvelopePart & { file: string }> {
  const named: Array<[string, EnvelopePart | undefined]> = [
    ['content', layout.content],
    ['content-mask', layout.contentMask],
    ['init', layout.initImage],
    ...layout.styles.flatMap((part, i): Array<[string, EnvelopePart | undefined]> => [
      [`style-${i}`, part],
      [`style-${i}-mask`, layout.styleMasks[i]],
    ]),
  ];
  return named
    .filter((entry): entry is [string, EnvelopePart] => entry[1] !== undefined)
    .map(([name, part]) => ({ ...part, file: path.join(folder, `${name}.img`) }))
    .sort((a, b) => a.offset - b.offset);
}
