import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

// Inside the repository so that the scripts resolve its node_modules.
const cache = path.join(repoRoot, 'node_modules/.cache');
mkdirSync(cache, { recursive: true });
const scratch = mkdtempSync(path.join(cache, 'pastiche-backend-test-'));
let scripts = 0;

/** Runs a module in a fresh process (a backend, once started, stays for the process). */
function runScript(source: string) {
  const file = path.join(scratch, `script-${scripts++}.mts`);
  writeFileSync(file, source.replaceAll("'./packages/", `'${repoRoot}/packages/`));
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, result.stderr.slice(-2000));
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

const CONV = `
  const x = tf.tensor4d(Array.from({ length: 2 * 24 * 24 * 16 }, (_, i) => Math.sin(i)), [2, 24, 24, 16]);
  const k = tf.tensor4d(Array.from({ length: 3 * 3 * 16 * 32 }, (_, i) => Math.cos(i) / 10), [3, 3, 16, 32]);
  const grad = tf.grad((input) => tf.sum(tf.square(tf.conv2d(input, k, 1, 'same'))))(x);
  const values = Array.from(await grad.data());`;

describe('selectBackend', () => {
  test('auto picks the best backend that loads, says why better ones were skipped, and the process exits by itself', () => {
    const out = runScript(`
      import * as tf from '@tensorflow/tfjs-core';
      import { selectBackend, describeBackendChoice } from './packages/node-runner/src/backend/selectBackend.ts';
      const choice = await selectBackend();
      console.log(JSON.stringify({ choice, line: describeBackendChoice(choice), active: tf.getBackend() }));`);
    assert.ok(['tensorflow-gpu', 'tensorflow', 'wasm'].includes(out.choice.name), out.line);
    if (out.choice.name === 'wasm') {
      assert.deepEqual(out.choice.skipped.map((s: { name: string }) => s.name), ['tensorflow-gpu', 'tensorflow']);
      assert.match(out.line, /^backend: wasm, \d threads?/);
    }
  });

  test('wasm uses every core (threaded build) and computes what the single-threaded build computes', { skip: os.availableParallelism() < 2 && 'one core' }, () => {
    const threaded = runScript(`
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs';
      import { selectBackend } from './packages/node-runner/src/backend/selectBackend.ts';
      const choice = await selectBackend('wasm');
      ${CONV}
      console.log(JSON.stringify({ threads: choice.threads, active: tf.getBackend(), values }));`);
    assert.equal(threaded.active, 'wasm-threaded');
    assert.equal(threaded.threads, os.availableParallelism());
    const single = runScript(`
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs';
      import '@tensorflow/tfjs-backend-wasm';
      await tf.setBackend('wasm');
      ${CONV}
      console.log(JSON.stringify({ values }));`);
    assert.equal(threaded.values.length, single.values.length);
    const scale = Math.max(...single.values.map(Math.abs));
    const worst = Math.max(...threaded.values.map((v: number, i: number) => Math.abs(v - single.values[i])));
    assert.ok(worst <= 1e-5 * scale, `threaded and single-threaded gradients differ by ${worst} (scale ${scale})`);
  });

  test('an explicit backend that is not installed is refused with the reason', () => {
    const out = runScript(`
      import { selectBackend } from './packages/node-runner/src/backend/selectBackend.ts';
      try { await selectBackend('tensorflow-gpu'); console.log(JSON.stringify({ ok: true })); }
      catch (error) { console.log(JSON.stringify({ message: error.message })); }`);
    assert.match(out.message ?? '', /no TensorFlow\.js backend could be loaded \(tensorflow-gpu: /);
  });
});
