import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isProcessAlive } from '../queue/isProcessAlive.ts';

const PREFIX = 'pastiche-worker-checkpoints-';
/** A worker's folder: the prefix, its pid, mkdtemp's suffix. */
const FOLDER = new RegExp(`^${PREFIX}(\\d+)-`);

/**
 * A worker's folder for its jobs' checkpoints (each is copied to the pool's store as it is written), named by
 * the worker's process id. A worker that is killed cannot remove its folder, and a poster's checkpoint is near
 * a gigabyte, so each worker that starts removes the folders of this host's dead workers: their checkpoints
 * are already in the store, for whichever worker resumes the job.
 */
export async function createWorkerCheckpointDir(root = tmpdir()): Promise<string> {
  for (const name of await readdir(root)) {
    const pid = Number(FOLDER.exec(name)?.[1]);
    if (pid && !isProcessAlive(pid)) await rm(path.join(root, name), { recursive: true, force: true });
  }
  return mkdtemp(path.join(root, `${PREFIX}${process.pid}-`));
}
