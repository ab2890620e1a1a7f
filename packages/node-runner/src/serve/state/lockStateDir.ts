import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../../queue/isProcessAlive.ts';

const LOCK_FILE = 'runner.pid';
/** Directories locked by runners of this process (a pid read back equal to ours is stale only if not among them: a reboot reuses pids). */
const lockedHere = new Set<string>();

/**
 * Makes this process the one runner of `dir` (two would paint the same jobs twice). The lock is a file with the
 * owner's pid; one whose process is gone (a crash, kill -9, a reboot) is taken over. Returns the release.
 */
export async function lockStateDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  for (let tries = 0; ; tries++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      lockedHere.add(file);
      return async () => {
        lockedHere.delete(file);
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) throw error;
    }
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    const held = holder === process.pid ? lockedHere.has(file) : Number.isInteger(holder) && holder > 0 && isProcessAlive(holder);
    if (held) {
      throw new Error(`the state directory ${dir} is in use by another pastiche serve (pid ${holder}); stop it or give this one another --state-dir`);
    }
    await rm(file, { force: true });
  }
}
