import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultCacheDir } from './defaultCacheDir.ts';
import { hashFile, type FileHashes } from './hashFile.ts';

/** Expected hashes (hex, any case). Each one given is checked. */
export interface Checksum { sha256?: string; md5?: string }

/** Called as bytes arrive: bytes so far, the total when the server says it, and the URL being fetched. */
export type DownloadProgress = (received: number, total: number | undefined, url: string) => void;

export interface DownloadToCacheOptions {
  /** Cache root; default {@link defaultCacheDir}(env). */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Where under the cache root to keep the file; default `downloads/<sha256(url), 16 hex>/<file name in the URL>`. */
  relativePath?: string;
  checksum?: Checksum;
  onProgress?: DownloadProgress;
}

/** Sidecar written next to each cached file: the hashes of its bytes, and the size/mtime they were taken at. */
interface HashesSidecar extends FileHashes { url: string; size: number; mtimeMs: number }
const SIDECAR_SUFFIX = '.hashes.json';

/**
 * Downloads `url` once into the cache and returns the cached file's absolute path.
 *
 * The body is streamed to a temporary file beside the destination while its sha256 and md5 are computed;
 * the checksum (if any) is verified before an atomic rename, so the cache only ever holds complete, verified
 * files. A mismatch deletes the temporary file and throws, naming the URL, the file and both hashes.
 *
 * Reuse: a file already in the cache is returned without touching the network. Its hashes, computed during the
 * download, are kept in a `<file>.hashes.json` sidecar, so a later call with a checksum compares against the
 * sidecar instead of re-hashing tens of MB each run. The sidecar is trusted only while the file's size and mtime
 * match what it recorded; otherwise (or when it is missing) the file is re-hashed and the sidecar rewritten.
 * A cached file whose hashes do not match the checksum asked for is dropped and downloaded again.
 */
export async function downloadToCache(url: string, options: DownloadToCacheOptions = {}): Promise<string> {
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir(options.env ?? process.env));
  const relativePath = options.relativePath ?? defaultRelativePath(url);
  const destination = path.resolve(cacheDir, relativePath);
  if (!isInside(cacheDir, destination)) throw new Error(`Refusing to cache ${url} at ${destination}: outside the cache folder ${cacheDir}.`);
  const checksum = normalizeChecksum(options.checksum);

  if (await isFile(destination)) {
    if (!checksum) return destination;
    const hashes = await cachedHashes(destination, url);
    if (!describeMismatch(checksum, hashes)) return destination;
    await rm(destination, { force: true });
    await rm(destination + SIDECAR_SUFFIX, { force: true });
  }

  await mkdir(path.dirname(destination), { recursive: true });
  const temporary = `${destination}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  try {
    const hashes = await fetchToFile(url, temporary, options.onProgress);
    const mismatch = checksum && describeMismatch(checksum, hashes);
    if (mismatch) {
      throw new Error(`Checksum mismatch for ${url} (to be cached as ${destination}): ${mismatch}. The download was discarded.`);
    }
    await rename(temporary, destination);
    await writeSidecar(destination, url, hashes).catch(() => undefined); // only an optimisation
    return destination;
  } catch (err) {
    await rm(temporary, { force: true });
    await removeEmptyFolders(path.dirname(destination), cacheDir);
    throw err;
  }
}

function defaultRelativePath(url: string): string {
  let name: string;
  try {
    name = decodeURIComponent(path.posix.basename(new URL(url).pathname));
  } catch {
    throw new Error(`Not a valid URL: ${url}`);
  }
  const safeName = name.replace(/[^\w.-]/g, '_').replace(/^\.+/, '') || 'download';
  const key = createHash('sha256').update(url).digest('hex').slice(0, 16);
  return path.join('downloads', key, safeName);
}

async function fetchToFile(url: string, file: string, onProgress: DownloadProgress | undefined): Promise<FileHashes> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    throw new Error(`Download failed: could not fetch ${url}: ${describeNetworkError(err)}`, { cause: err });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`Download failed: ${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`);
  }
  const lengthHeader = response.headers.get('content-length');
  // With a Content-Encoding, fetch decodes the body, so Content-Length no longer counts the bytes we see.
  const total = lengthHeader !== null && !response.headers.get('content-encoding') ? Number(lengthHeader) : undefined;
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let received = 0;
  const reader = response.body?.getReader();
  const handle = await open(file, 'wx');
  try {
    onProgress?.(0, total, url);
    while (reader) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (err) {
        throw new Error(`Download failed: the connection for ${url} broke after ${received} bytes: ${describeNetworkError(err)}`, { cause: err });
      }
      if (next.done) break;
      sha256.update(next.value);
      md5.update(next.value);
      await handle.write(next.value);
      received += next.value.byteLength;
      onProgress?.(received, total, url);
    }
  } finally {
    await reader?.cancel().catch(() => undefined); // frees the connection if we stopped early
    await handle.close();
  }
  if (total !== undefined && received !== total) {
    throw new Error(`Download failed: ${url} ended after ${received} of ${total} bytes.`);
  }
  return { sha256: sha256.digest('hex'), md5: md5.digest('hex') };
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const parts = [cause?.code, cause?.message ?? (err as Error)?.message].filter(Boolean);
  return parts.length > 0 ? [...new Set(parts)].join(' ') : String(err);
}

function normalizeChecksum(checksum: Checksum | undefined): Checksum | undefined {
  if (!checksum || (!checksum.sha256 && !checksum.md5)) return undefined;
  return { sha256: checksum.sha256?.toLowerCase(), md5: checksum.md5?.toLowerCase() };
}

/** "expected md5 X, got Y" for each hash that differs; undefined when all match. */
function describeMismatch(expected: Checksum, actual: FileHashes): string | undefined {
  const problems: string[] = [];
  if (expected.md5 && expected.md5 !== actual.md5) problems.push(`expected md5 ${expected.md5}, got ${actual.md5}`);
  if (expected.sha256 && expected.sha256 !== actual.sha256) problems.push(`expected sha256 ${expected.sha256}, got ${actual.sha256}`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

async function cachedHashes(file: string, url: string): Promise<FileHashes> {
  const { size, mtimeMs } = await stat(file);
  try {
    const sidecar = JSON.parse(await readFile(file + SIDECAR_SUFFIX, 'utf8')) as Partial<HashesSidecar>;
    if (sidecar.size === size && sidecar.mtimeMs === mtimeMs && typeof sidecar.sha256 === 'string' && typeof sidecar.md5 === 'string') {
      return { sha256: sidecar.sha256, md5: sidecar.md5 };
    }
  } catch {
    // missing or unreadable: re-hash below
  }
  const hashes = await hashFile(file);
  await writeSidecar(file, url, hashes).catch(() => undefined);
  return hashes;
}

async function writeSidecar(file: string, url: string, hashes: FileHashes): Promise<void> {
  const { size, mtimeMs } = await stat(file);
  const sidecar: HashesSidecar = { url, size, mtimeMs, ...hashes };
  const temporary = `${file}${SIDECAR_SUFFIX}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  await writeFile(temporary, JSON.stringify(sidecar, null, 2) + '\n');
  await rename(temporary, file + SIDECAR_SUFFIX);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Removes `folder` and its parents while they are empty, stopping at (and keeping) `root`. */
async function removeEmptyFolders(folder: string, root: string): Promise<void> {
  for (let dir = folder; isInside(root, dir); dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or already gone)
    }
  }
}
