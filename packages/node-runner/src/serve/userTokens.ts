import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

/**
 * Tokens issued per user (`pastiche token add NAME`), besides the pairing token: each job carries the name of
 * the token that submitted it (the pool shares its workers fairly between names). The file keeps only each
 * token's SHA-256, so reading it gives no access; a revoked name stops working on its next request, without a
 * restart (the server reads the file again whenever it changes).
 */
export const USER_TOKENS_FILE_NAME = 'user-tokens.json';
/** The name jobs sent with the pairing token carry. */
export const PAIRING_TOKEN_OWNER = 'owner';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const UserTokensSchema = Type.Object({
  users: Type.Array(Type.Object({ name: Type.String({ pattern: NAME_PATTERN.source }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), createdAt: Type.String() })),
});
type UserTokens = Static<typeof UserTokensSchema>;
const isUserTokens = TypeCompiler.Compile(UserTokensSchema);

const sha256 = (token: string) => createHash('sha256').update(token).digest();

async function readUserTokens(file: string): Promise<UserTokens> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { users: [] };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); fix it or delete it and issue the tokens again`);
  }
  if (!isUserTokens.Check(parsed)) throw new Error(`${file} is not a user tokens file (${isUserTokens.Errors(parsed).First()?.path}: ${isUserTokens.Errors(parsed).First()?.message})`);
  return parsed;
}

async function writeUserTokens(file: string, tokens: UserTokens): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) throw new Error(`a token name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; got ${JSON.stringify(name)}`);
  if (name === PAIRING_TOKEN_OWNER) throw new Error(`"${PAIRING_TOKEN_OWNER}" names the pairing token; pick another name`);
}

/** Issues a token for `name` and returns it (shown once: only its hash is kept). */
export async function addUserToken(configDir: string, name: string): Promise<string> {
  checkName(name);
  const file = path.join(configDir, USER_TOKENS_FILE_NAME);
  const tokens = await readUserTokens(file);
  if (tokens.users.some((u) => u.name === name)) throw new Error(`there is already a token named ${name}; revoke it first (pastiche token revoke ${name})`);
  const token = randomBytes(32).toString('base64url');
  tokens.users.push({ name, sha256: sha256(token).toString('hex'), createdAt: new Date().toISOString() });
  await writeUserTokens(file, tokens);
  return token;
}

/** Removes `name`'s token; false if there was none. */
export async function revokeUserToken(configDir: string, name: string): Promise<boolean> {
  const file = path.join(configDir, USER_TOKENS_FILE_NAME);
  const tokens = await readUserTokens(file);
  const users = tokens.users.filter((u) => u.name !== name);
  if (users.length === tokens.users.length) return false;
  await writeUserTokens(file, { users });
  return true;
}

export async function listUserTokens(configDir: string): Promise<Array<{ name: string; createdAt: string }>> {
  return (await readUserTokens(path.join(configDir, USER_TOKENS_FILE_NAME))).users.map(({ name, createdAt }) => ({ name, createdAt }));
}

/**
 * Who a presented token belongs to: PAIRING_TOKEN_OWNER, a user's name, or undefined. Compared in constant time
 * (hashes of equal length). The user file is read again when its modification time changes.
 */
export function createTokenIdentifier(configDir: string, pairingToken: string): (given: string) => Promise<string | undefined> {
  const file = path.join(configDir, USER_TOKENS_FILE_NAME);
  const pairing = sha256(pairingToken);
  let cached: { mtimeMs: number; users: Array<{ name: string; hash: Buffer }> } = { mtimeMs: -1, users: [] };
  const users = async () => {
    const mtimeMs = (await stat(file).catch(() => undefined))?.mtimeMs ?? 0;
    if (mtimeMs !== cached.mtimeMs) {
      const read = mtimeMs === 0 ? { users: [] } : await readUserTokens(file);
      cached = { mtimeMs, users: read.users.map((u) => ({ name: u.name, hash: Buffer.from(u.sha256, 'hex') })) };
    }
    return cached.users;
  };
  return async (given) => {
    const hash = sha256(given);
    if (timingSafeEqual(hash, pairing)) return PAIRING_TOKEN_OWNER;
    // Every entry is compared, so the time taken does not say which one matched.
    let owner: string | undefined;
    for (const user of await users()) if (timingSafeEqual(hash, user.hash)) owner = user.name;
    return owner;
  };
}
