// The command from a fresh clone: `npm ci` then `npx pastiche`. `npm ci` installs offline from the tarballs npm's
// cache holds since this checkout's own `npm ci`. The other way, `npm install -g` of the published package, is
// test/release/release.test.ts (from a local registry).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const npm = (args: string[], cwd: string) =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', env: process.env });

function expectHelp(result: ReturnType<typeof spawnSync>) {
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(String(result.stdout), /^Usage: pastiche <command>/);
  assert.match(String(result.stdout), /stylize/);
}

describe('installing the command line', { timeout: 300_000 }, () => {
  test('npm ci in a fresh copy of the sources, then npx pastiche --help', (t) => {
    const clone = mkdtempSync(path.join(tmpdir(), 'pastiche-clone-'));
    t.after(() => rmSync(clone, { recursive: true, force: true })); // about 1 GB with its node_modules
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
});
