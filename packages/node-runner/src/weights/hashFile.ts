import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileHashes { sha256: string; md5: string }

/** sha256 and md5 (lowercase hex) of a file, streamed. */
export async function hashFile(filePath: string): Promise<FileHashes> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(filePath)) {
    sha256.update(chunk as Buffer);
    md5.update(chunk as Buffer);
  }
  return { sha256: sha256.digest('hex'), md5: md5.digest('hex') };
}
