import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HttpError, limitExceeded, limitInfo } from '../../errors/HttpError.ts';
import { splitJobBody, type SpooledEnvelope } from './splitJobBody.ts';

/** What a client that met a full upload budget is told to wait: uploads on loopback or a LAN end within seconds. */
const UPLOAD_RETRY_AFTER_SECONDS = 5;

/** The spool's own folder is made inside its parent with this prefix (a runner removes those a killed one left). */
export const UPLOAD_FOLDER_PREFIX = 'pastiche-uploads-';

/** Bytes of the in-flight budget held by one request. */
export interface UploadReservation {
  /** Holds at least `total` bytes (a body of unknown length, as it arrives), or throws the 503. */
  holdAtLeast(total: number): void;
  /** Gives the bytes back; later calls do nothing. */
  release(): void;
}

export interface ReceiveOptions {
  /** --max-body-mb in bytes: a larger body is a 413. */
  maxBytes: number;
  /** A body that sends nothing for this long is answered 408. */
  idleMs: number;
}

/**
 * Where job bodies go while they arrive and while their jobs wait: a directory of this runner's own (made at
 * start, removed at close), one folder per upload with one file per image, so that an upload costs the server
 * a stream buffer, not its size in memory, and sharp and the engine read each image from its own file. The
 * bytes of all bodies being received and checked at once are bounded by `budgetBytes`: a request that would
 * pass it is answered 503 with Retry-After before its body is read.
 */
export interface UploadSpool {
  /** Reserves `bytes` (the body's Content-Length, or 0 for a body of unknown length), or throws the 503. */
  reserve(bytes: number): UploadReservation;
  /**
   * Streams a job body into a new folder of the spool, split into its images. The folder is deleted if
   * anything fails (a bad envelope, too large, stalled, aborted); otherwise it is the caller's, to `discard`.
   */
  receive(request: IncomingMessage, options: ReceiveOptions, reservation: UploadReservation): Promise<SpooledEnvelope>;
  /** Deletes the folders of the spool that hold these image files; what is already gone is no error. */
  discard(files: Iterable<string>): Promise<void>;
  /** Deletes the spool directory and whatever is still in it. */
  close(): Promise<void>;
}

export async function createUploadSpool({ parentDir, budgetBytes }: { parentDir?: string; budgetBytes: number }): Promise<UploadSpool> {
  const parent = parentDir ?? tmpdir();
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, UPLOAD_FOLDER_PREFIX));
  let inFlight = 0;

  const full = (wanted: number) =>
    new HttpError(
      503,
      `the runner is receiving ${formatMb(inFlight)} of uploads already; ${formatMb(wanted)} more would pass its budget (limit --upload-budget-mb ${formatMb(budgetBytes, '')}); try again in a few seconds`,
      'body',
      limitInfo('uploadBudgetMb', budgetBytes / 2 ** 20),
      UPLOAD_RETRY_AFTER_SECONDS,
    );

  const reserve = (bytes: number): UploadReservation => {
    if (inFlight + bytes > budgetBytes) throw full(bytes);
    inFlight += bytes;
    let held = bytes;
    let released = false;
    return {
      holdAtLeast(total) {
        if (released || total <= held) return;
        if (inFlight + total - held > budgetBytes) throw full(total);
        inFlight += total - held;
        held = total;
      },
      release() {
        if (released) return;
        released = true;
        inFlight -= held;
      },
    };
  };

  const removeFolder = (folder: string) => rm(folder, { recursive: true, force: true });

  return {
    reserve,
    async receive(request, { maxBytes, idleMs }, reservation) {
      const folder = path.join(dir, randomUUID());
      await mkdir(folder);
      const declared = request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']);
      let received = 0;
      const chunks = request[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      // The request is never destroyed here (that would close the socket unanswered): it is let go, and the
      // error's reply closes the connection. Node cuts a connection idle past --body-timeout-seconds silently
      // unless its request listens: this one answers 408 instead.
      let stall: ((error: Error) => void) | undefined;
      const onTimeout = () => stall?.(new HttpError(408, `the request body stopped arriving: nothing came for ${idleMs / 1000} s (limit --body-timeout-seconds ${idleMs / 1000})`, 'body'));
      request.on('timeout', onTimeout);
      async function* body() {
        for (;;) {
          // A promise per chunk (not a race with one long-lived promise, whose reactions would keep every chunk).
          const next = await new Promise<IteratorResult<Buffer>>((resolve, reject) => {
            stall = reject;
            chunks.next().then(resolve, reject);
          });
          if (next.done) return;
          received += next.value.byteLength;
          if (received > maxBytes) throw limitExceeded('body', 'maxBodyMb', maxBytes / 2 ** 20, `the request body is larger than ${formatMb(maxBytes)}`, 413);
          reservation.holdAtLeast(received);
          yield next.value;
        }
      }
      try {
        return await splitJobBody(body(), declared, folder);
      } catch (error) {
        reservation.release();
        await removeFolder(folder);
        throw (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? new HttpError(400, 'the client closed the connection before the body arrived', 'body') : error;
      } finally {
        request.off('timeout', onTimeout);
      }
    },
    async discard(files) {
      const folders = new Set([...files].map((file) => path.dirname(file)).filter((folder) => path.dirname(folder) === dir));
      await Promise.all([...folders].map(removeFolder));
    },
    async close() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function formatMb(bytes: number, unit = ' MB') {
  return `${Number((bytes / 2 ** 20).toFixed(1))}${unit}`;
}
