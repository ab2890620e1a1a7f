import { existsSync, readFileSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

type LockEntry = {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
};

/**
 * Fills a Verdaccio storage folder with what a workspace package needs from the npm registry: every package
 * its dependencies reach in package-lock.json, at the locked versions, so that a registry with no uplinks can
 * serve `npm install` of it. The tarballs are npm's own cached downloads (the bytes the registry served at
 * `npm ci`, found by their integrity), linked, not copied; a package for another platform, which npm never
 * downloaded here, is listed without its tarball (npm skips it by its os/cpu fields). Returns how many
 * packages and tarballs it wrote.
 */
export async function seedRegistryFromLockfile({ repoRoot, workspace, storage, npmCache }: { repoRoot: string; workspace: string; storage: string; npmCache: string }) {
  const lock: Record<string, LockEntry> = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')).packages;
  const packuments = new Map<string, { name: string; versions: Record<string, unknown>; 'dist-tags': { latest: string } }>();
  let tarballs = 0;
  for (const at of dependencyClosure(lock, workspace)) {
    const entry = lock[at];
    if (entry.link) continue;
    if (!entry.integrity) throw new Error(`${at} has no integrity in package-lock.json`);
    const name = at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const version = entry.version!;
    // The installed package.json is the published manifest (scripts included, which npm reads to decide on
    // install scripts); a package for another platform has only its lockfile entry.
    const installed = path.join(repoRoot, at, 'package.json');
    const manifest = existsSync(installed) ? JSON.parse(readFileSync(installed, 'utf8')) : lockfileManifest(entry);
    // The registry's tarball name (package-lock.json may leave out `resolved`); Verdaccio serves it under its own URL.
    const filename = `${name.split('/').pop()}-${version}.tgz`;
    const packument = packuments.get(name) ?? { name, versions: {}, 'dist-tags': { latest: version } };
    packument.versions[version] = { ...manifest, name, version, _id: `${name}@${version}`, dist: { tarball: `https://registry.npmjs.org/${name}/-/${filename}`, integrity: entry.integrity } };
    if (compareVersions(version, packument['dist-tags'].latest) > 0) packument['dist-tags'].latest = version;
    packuments.set(name, packument);
    const cached = cachedTarball(npmCache, entry.integrity);
    if (cached) {
      await mkdir(path.join(storage, name), { recursive: true });
      await symlink(cached, path.join(storage, name, filename));
      tarballs++;
    } else if (!entry.optional) {
      throw new Error(`${name}@${version} is not in npm's cache (${npmCache}): run npm ci first`);
    }
  }
  for (const [name, packument] of packuments) {
    await mkdir(path.join(storage, name), { recursive: true });
    await writeFile(path.join(storage, name, 'package.json'), JSON.stringify(packument));
  }
  return { packages: packuments.size, tarballs };
}

/** The lockfile paths of every package `workspace` reaches, resolved the way Node resolves node_modules. */
function dependencyClosure(lock: Record<string, LockEntry>, workspace: string): Set<string> {
  const resolve = (from: string, name: string): string | undefined => {
    for (let base = from; ; ) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock[candidate]) return candidate;
      if (!base) return undefined;
      const parent = base.lastIndexOf('/node_modules/');
      base = parent >= 0 ? base.slice(0, parent) : '';
    }
  };
  const reached = new Set<string>();
  const queue = [workspace];
  while (queue.length > 0) {
    const from = queue.pop()!;
    const entry = lock[from];
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) {
      const found = resolve(from, name);
      // An optional peer that nothing installs (bullmq's pg, say) is not there, and npm does not fetch it either.
      if (!found) {
        if (entry.peerDependenciesMeta?.[name]?.optional) continue;
        throw new Error(`${from} needs ${name}, which package-lock.json does not have`);
      }
      if (reached.has(found)) continue;
      reached.add(found);
      queue.push(found);
    }
  }
  return reached;
}

/** A manifest from a lockfile entry, which keeps what npm needs to choose and skip the package. */
function lockfileManifest(entry: LockEntry): Record<string, unknown> {
  const { resolved: _r, integrity: _i, link: _l, dev: _d, optional: _o, peer: _p, devOptional: _do, ...manifest } = entry;
  return manifest;
}

/** Where npm's cache (cacache) keeps the content of this integrity, if it does. */
function cachedTarball(npmCache: string, integrity: string): string | undefined {
  for (const hash of integrity.split(/\s+/)) {
    const [algorithm, base64] = hash.split('-', 2);
    const hex = Buffer.from(base64, 'base64').toString('hex');
    const file = path.join(npmCache, '_cacache/content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Semver order of plain x.y.z versions (a prerelease ranks below its release). */
function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split('-')[0].split('.').map(Number);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return (a.includes('-') ? 0 : 1) - (b.includes('-') ? 0 : 1);
}
