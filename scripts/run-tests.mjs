// Runs every *.test.ts under packages/*/test and test/ with Node's test runner (TypeScript through tsx).
// Node 20's --test takes no globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const roots = [...readdirSync(path.join(root, 'packages')).map((p) => path.join('packages', p, 'test')), 'test'];
const filter = process.argv[2];

function* testFiles(dir) {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir));
  } catch {
    return;
  }
  for (const entry of entries.sort()) {
    if (entry === 'node_modules') continue;
    const relative = path.join(dir, entry);
    if (statSync(path.join(root, relative)).isDirectory()) yield* testFiles(relative);
    else if (entry.endsWith('.test.ts')) yield relative;
  }
}

const files = roots.flatMap((dir) => [...testFiles(dir)]).filter((f) => !filter || f.includes(filter));
if (files.length === 0) {
  console.error(`no test files${filter ? ` matching ${filter}` : ''}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
