// Runs the tests with Node's test runner (TypeScript through tsx).
//
//   node scripts/run-tests.mjs [--quick] [PATH…]
//
// PATH: test files or folders, from the repository root (default: every packages/*/test and test/).
// --quick: the quick tier, everything but the files scripts/slow-tests.txt lists.
// Node 20's --test takes no globs, so the files are listed here. Two files run at a time: on 2 cores the
// browser, Redis and install suites mostly wait, and every suite takes its own ports and folders. The slow
// files go first, longest first, so that the last ones to finish are short.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const SLOW_LIST = 'scripts/slow-tests.txt';
const CONCURRENCY = 2;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const unknown = args.filter((a) => a.startsWith('--') && a !== '--quick');
if (unknown.length > 0) fail(`unknown flag ${unknown.join(', ')}; usage: node scripts/run-tests.mjs [--quick] [PATH…]`);
const paths = args.filter((a) => !a.startsWith('--'));
const roots = paths.length > 0 ? paths : [...readdirSync(path.join(root, 'packages')).map((p) => path.join('packages', p, 'test')), 'test'];

function fail(message) {
  console.error(message);
  process.exit(1);
}

function* testFiles(relative) {
  const absolute = path.join(root, relative);
  if (!existsSync(absolute)) fail(`no such test file or folder: ${relative}`);
  if (!statSync(absolute).isDirectory()) {
    if (!relative.endsWith('.test.ts')) fail(`not a test file (*.test.ts): ${relative}`);
    yield relative;
    return;
  }
  for (const entry of readdirSync(absolute).sort()) {
    if (entry === 'node_modules') continue;
    const child = path.join(relative, entry);
    if (statSync(path.join(root, child)).isDirectory()) yield* testFiles(child);
    else if (entry.endsWith('.test.ts')) yield child;
  }
}

/** The slow tier, in the order it runs; a listed file that is gone fails the run, so the list cannot rot. */
function slowFiles() {
  const listed = readFileSync(path.join(root, SLOW_LIST), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  const missing = listed.filter((f) => !f.endsWith('.test.ts') || !existsSync(path.join(root, f)));
  if (missing.length > 0) fail(`${SLOW_LIST} lists what is not a test file: ${missing.join(', ')}`);
  return listed;
}

const slow = slowFiles();
const selected = new Set(roots.flatMap((dir) => [...testFiles(path.normalize(dir))]));
const files = [...slow.filter((f) => !quick && selected.has(f)), ...[...selected].filter((f) => !slow.includes(f))];
if (files.length === 0) fail(`no test files${paths.length > 0 ? ` under ${paths.join(', ')}` : ''}${quick ? ' in the quick tier' : ''}`);
console.log(`${files.length} test files${quick ? ' (quick tier)' : ''}, ${CONCURRENCY} at a time`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${CONCURRENCY}`, '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
