import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { HttpError } from '../errors/HttpError.ts';
import type { Caller } from '../queue/Caller.ts';

/**
 * Tokens issued per user (`pastiche token add NAME [--operator]`), besides the pairing token: each job belongs to
 * the name of the token that submitted it, and only that name (or an operator) can see it (the pool also shares
 * its workers fairly between names). The file keeps only each token's SHA-256, so reading it gives no access; a
 * revoked name stops working on its next request, without a restart (the server reads the file again whenever it
 * changes).
 */
export const USER_TOKENS_FILE_NAME = 'user-tokens.json';
/** The name jobs sent with the pairing token carry. */
export const PAIRING_TOKEN_OWNER = 'owner';

export type TokenRole = 'operator' | 'user';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const UserTokensSchema = Type.Object({
  users: Type.Array(
    Type.Object({
      name: Type.String({ pattern: NAME_PATTERN.source }),
      sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      createdAt: Type.String(),
      /** Absent in files written before roles existed: a user. */
      operator: Type.Optional(Type.Boolean()),
    }),
  ),
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
export async function addUserToken(configDir: string, name: string, role: TokenRole = 'user'): Promise<string> {
  checkName(name);
  const file = path.join(configDir, USER_TOKENS_FILE_NAME);
  const tokens = await readUserTokens(file);
  if (tokens.users.some((u) => u.name === name)) throw new Error(`there is already a token named ${name}; revoke it first (pastiche token revoke ${name})`);
  const token = randomBytes(32).toString('base64url');
  tokens.users.push({ name, sha256: sha256(token).toString('hex'), createdAt: new Date().toISOString(), ...(role === 'operator' && { operator: true }) });
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

/** Names, roles and dates: never a token (the file has none) nor its hash. */
export async function listUserTokens(configDir: string): Promise<Array<{ name: string; role: TokenRole; createdAt: string }>> {
  const { users } = await readUserTokens(path.join(configDir, USER_TOKENS_FILE_NAME));
  return users.map(({ name, operator, createdAt }) => ({ name, role: operator ? 'operator' : 'user', createdAt }));
}

/** Reads the user tokens file once, so that `pastiche serve` refuses to start on a damaged one (the error names it). */
export async function checkUserTokensFile(configDir: string): Promise<void> {
  await readUserTokens(path.join(configDir, USER_TOKENS_FILE_NAME));
}

/**
 * Who a presented token belongs to: the pairing token is the operator (PAIRING_TOKEN_OWNER), a user token its
 * name and role; undefined for neither. Compared in constant time (SHA-256 hashes, all of one length). The user
 * file is read again when its modification time changes. If it is damaged meanwhile, the pairing token still
 * works; user tokens get a 503 that names no server path, and the detail goes to the server's log (once per
 * change of the file).
 */
export function createTokenIdentifier(configDir: string, pairingToken: string, log: (line: string) => void): (given: string) => Promise<Caller | undefined> {
  const file = path.join(configDir, USER_TOKENS_FILE_NAME);
  const pairing = sha256(pairingToken);
  type Entry = { name: string; operator: boolean; hash: Buffer };
  let cached: { mtimeMs: number; users?: Entry[] } = { mtimeMs: -1, users: [] };
  const users = async (): Promise<Entry[]> => {
    const mtimeMs = (await stat(file).catch(() => undefined))?.mtimeMs ?? 0;
    if (mtimeMs !== cached.mtimeMs) {
      try {
        const read = mtimeMs === 0 ? { users: [] } : await readUserTokens(file);
        cached = { mtimeMs, users: read.users.map((u) => ({ name: u.name, operator: u.operator === true, hash: Buffer.from(u.sha256, 'hex') })) };
      } catch (error) {
        cached = { mtimeMs };
        log(`user tokens refused until the file is fixed: ${(error as Error).message}`);
      }
    }
    if (!cached.users) {
      throw new HttpError(503, "user tokens cannot be checked: the runner's user tokens file is damaged (its operator sees why in the runner's log)", 'authorization');
    }
    return cached.users;
  };
  return async (given) => {
    const hash = sha256(given);
    if (timingSafeEqual(hash, pairing)) return { name: PAIRING_TOKEN_OWNER, operator: true };
    // Every entry is compared, so the time taken does not say which one matched.
    let caller: Caller | undefined;
    for (const user of await users()) if (timingSafeEqual(hash, user.hash)) caller = { name: user.name, operator: user.operator };
    return caller;
  };
}
