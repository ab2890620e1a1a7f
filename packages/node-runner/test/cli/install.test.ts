// The two ways people get the command: `npm ci` in a fresh clone then `npx pastiche`, and `npm install -g`
// of the packed package. `npm ci` installs offline from the tarballs npm's cache holds since this checkout's
// own `npm ci`; a global install resolves version ranges, so it may ask the registry for package metadata.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });

function expectHelp(result: ReturnType<typeof spawnSync>) {
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(String(result.stdout), /^Usage: pastiche <command>/);
  assert.match(String(result.stdout), /stylize/);
}

describe('installing the command line', { timeout: 300_000 }, () => {
  test('npm ci in a fresh copy of the sources, then npx pastiche --help', () => {
    const clone = mkdtempSync(path.join(tmpdir(), 'pastiche-clone-'));
    // The files a clone has: tracked, and new files not ignored (no dist/, no node_modules/).
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
      mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
      cpSync(path.join(repoRoot, file), path.join(clone, file));
    }
    const install = npm(['ci', '--offline'], clone);
    assert.equal(install.status, 0, install.stderr);
    expectHelp(spawnSync('npx', ['--offline', 'pastiche', '--help'], { cwd: clone, encoding: 'utf8' }));
  });

  test('npm install -g of the packed package, then pastiche --help', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'pastiche-pack-'));
    // The dist that `npm test` built: `prepare` would rebuild it in place under the suites running beside this one
    // (the fresh clone above checks that `prepare` builds it).
    const pack = npm(['pack', '--ignore-scripts', '--pack-destination', work], path.join(repoRoot, 'packages/node-runner'));
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, `npm pack wrote no tarball:\n${pack.stdout}`);
    const prefix = path.join(work, 'prefix');
    // A global install runs onnxruntime-node's own install script, which fetches its CUDA provider from NuGet:
    // offline, as here, it must be told to skip it (README, Install).
    const install = npm(['install', '-g', '--prefer-offline', '--prefix', prefix, path.join(work, tarball)], work, { ONNXRUNTIME_NODE_INSTALL: 'skip' });
    assert.equal(install.status, 0, install.stderr);
    expectHelp(spawnSync(path.join(prefix, 'bin', 'pastiche'), ['--help'], { encoding: 'utf8' }));
  });
});
