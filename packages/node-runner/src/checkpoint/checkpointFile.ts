import { readFile } from 'node:fs/promises';
import { decodeCheckpoint, encodeCheckpoint, type StylizeCheckpoint } from '@pastiche/core';
import { writeFileAtomically } from '../images/writeFileAtomically.ts';

/**
 * Writes a checkpoint through a temporary file renamed over the last one: a crash during the write leaves the
 * previous checkpoint whole (and a `.partial` file beside it, which nothing reads).
 */
export async function writeCheckpointFile(file: string, checkpoint: StylizeCheckpoint): Promise<void> {
  await writeFileAtomically(file, encodeCheckpoint(checkpoint));
}

/** Reads a checkpoint file; throws decodeCheckpoint's CheckpointError for what is no usable checkpoint, fs errors as they are. */
export async function readCheckpointFile(file: string): Promise<StylizeCheckpoint> {
  return decodeCheckpoint(await readFile(file));
}
