import { open, type FileHandle } from 'node:fs/promises';
import zlib from 'node:zlib';
import { encodeCheckpointParts, readCheckpoint, type CheckpointSource, type StylizeCheckpoint } from '@pastiche/core';
import { writeFileAtomically } from '../images/writeFileAtomically.ts';

/** zlib's CRC-32 (Node ≥ 20.15), the format's own checksum at several times the speed of core's plain one. */
const codec = typeof zlib.crc32 === 'function' ? { crc32: (bytes: Uint8Array, previous: number) => zlib.crc32(bytes, previous) } : {};

/**
 * Writes a checkpoint through a temporary file renamed over the last one: a crash during the write leaves the
 * previous checkpoint whole (and a `.partial` file beside it, which nothing reads). The arrays are written from
 * where they are, not copied into one buffer first: at 4096 px a checkpoint is gigabytes.
 */
export async function writeCheckpointFile(file: string, checkpoint: StylizeCheckpoint): Promise<void> {
  const parts = encodeCheckpointParts(checkpoint, codec);
  await writeFileAtomically(file, (async function* () {
    yield* parts;
  })());
}

/** Reads a checkpoint file piece by piece (any size); throws readCheckpoint's CheckpointError for what is no usable checkpoint, fs errors as they are. */
export async function readCheckpointFile(file: string): Promise<StylizeCheckpoint> {
  const handle = await open(file, 'r');
  try {
    return await readCheckpoint(await fileSource(handle, file), codec);
  } finally {
    await handle.close();
  }
}

async function fileSource(handle: FileHandle, file: string): Promise<CheckpointSource> {
  const { size } = await handle.stat();
  return {
    length: size,
    async read(offset, length) {
      const bytes = new Uint8Array(length);
      for (let at = 0; at < length; ) {
        const { bytesRead } = await handle.read(bytes, at, length - at, offset + at);
        if (bytesRead === 0) throw new Error(`${file} shrank while it was read`);
        at += bytesRead;
      }
      return bytes;
    },
  };
}
