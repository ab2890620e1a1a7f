import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export const TOKEN_FILE_NAME = 'runner-token';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url

export interface PairingToken {
  token: string;
  file: string;
  /** True when this start generated it (the user has to pair the editors again). */
  created: boolean;
}

/**
 * The bearer token editors pair with: generated once (32 bytes from the OS CSPRNG) and kept in the
 * user's config folder, readable by the user only (0600), so that restarting the runner keeps the
 * editors paired. A token file with wider permissions is tightened; an unreadable or malformed one is
 * replaced.
 */
export async function loadOrCreatePairingToken(configDir: string): Promise<PairingToken> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const file = path.join(configDir, TOKEN_FILE_NAME);
  const existing = await readExistingToken(file);
  if (existing) return { token: existing, file, created: false };

  const token = randomBytes(32).toString('base64url');
  try {
    // 'wx': never overwrite a token another runner wrote a moment ago.
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${token}\n`);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot write the pairing token to ${file}: ${(error as Error).message}`);
    const raced = await readExistingToken(file);
    if (raced) return { token: raced, file, created: false };
    throw new Error(`the pairing token file ${file} is not valid; delete it and start again`);
  }
  return { token, file, created: true };
}

async function readExistingToken(file: string): Promise<string | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isFile()) throw new Error(`the pairing token path ${file} is not a file`);
  const text = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (!TOKEN_PATTERN.test(text)) {
    await unlink(file); // malformed (truncated write, hand edit): a fresh one is safer than a weak one
    return undefined;
  }
  if ((info.mode & 0o077) !== 0) await chmod(file, 0o600);
  return text;
}
