import os from 'node:os';
import path from 'node:path';

/** `$PASTICHE_CACHE_DIR`, else `$XDG_CACHE_HOME/pastiche`, else `~/.cache/pastiche` (empty variables count as unset). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PASTICHE_CACHE_DIR) return path.resolve(env.PASTICHE_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.resolve(env.XDG_CACHE_HOME, 'pastiche');
  return path.join(env.HOME || env.USERPROFILE || os.homedir(), '.cache', 'pastiche');
}
