import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { NODE_BACKEND_NAMES } from '@pastiche/core';
import { SERVE_HELP } from '../../src/cli/serveCommand.ts';
import { STYLIZE_HELP } from '../../src/cli/stylizeCommand.ts';
import { WORKER_HELP } from '../../src/cli/workerCommand.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const cli = path.join(repoRoot, 'packages/node-runner/dist/pastiche.js');

const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });

before(() => assert.ok(existsSync(cli), `build the CLI first (npm run build): ${cli} is missing`));

describe('engines on the command line come from core\'s registry', () => {
  test('`pastiche backends --json` lists every Node engine in auto\'s order and marks the one auto picks', () => {
    const r = run(['backends', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const listing = JSON.parse(r.stdout) as Array<{ name: string; loads: boolean; auto: boolean; reason?: string }>;
    assert.deepEqual(listing.map((b) => b.name), NODE_BACKEND_NAMES);
    // This machine and CI have no GPU: auto takes ONNX Runtime on the CPU.
    assert.deepEqual(listing.filter((b) => b.auto).map((b) => b.name), ['onnx-cpu']);
    if (process.platform === 'linux') assert.match(listing.find((b) => b.name === 'onnx-dml')!.reason ?? '', /not available on linux-/);
  });

  test('stylize, serve and worker list the Node engines in their help', () => {
    for (const help of [STYLIZE_HELP, SERVE_HELP, WORKER_HELP]) assert.match(help, new RegExp(`--backend NAME +auto \\(default\\), ${NODE_BACKEND_NAMES.join(', ')}\n`));
  });

  for (const command of [['stylize', '--content', 'c.png', '--style', 's.png', '--out', 'o.png'], ['serve'], ['worker', '--queue', 'redis://127.0.0.1:1']]) {
    test(`${command[0]} refuses a browser-only engine, naming the ones Node has`, () => {
      const r = run([...command, '--backend', 'webgl']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`--backend: expected auto or one of ${NODE_BACKEND_NAMES.join(', ')}, got "webgl"`));
    });
  }
});
