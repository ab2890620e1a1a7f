import { rename, rm, writeFile } from 'node:fs/promises';

/** Writes through a temporary file in the same folder, so readers never see a half-written file. Bytes, or chunks as they come. */
export async function writeFileAtomically(path: string, bytes: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
  const temporary = `${path}.${process.pid}.partial`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
