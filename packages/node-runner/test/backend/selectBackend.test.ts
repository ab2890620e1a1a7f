import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
function runScript(source: string, env: NodeJS.ProcessEnv = {}) {
  const file = path.join(scratch, `script-${scripts++}.mts`);
  writeFileSync(file, source.replaceAll("'./packages/", `'${repoRoot}/packages/`));
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  assert.equal(result.status, 0, result.stderr.slice(-2000));
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

const CONV = `
  const x = tf.tensor4d(Array.from({ length: 2 * 24 * 24 * 16 }, (_, i) => Math.sin(i)), [2, 24, 24, 16]);
  const k = tf.tensor4d(Array.from({ length: 3 * 3 * 16 * 32 }, (_, i) => Math.cos(i) / 10), [3, 3, 16, 32]);
  const grad = tf.grad((input) => tf.sum(tf.square(tf.conv2d(input, k, 1, 'same'))))(x);
  const values = Array.from(await grad.data());`;

/** Chromium's SwiftShader: a software Vulkan driver Dawn accepts (Debian's lavapipe it rejects). CI installs chromium and libvulkan1. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

describe('selectBackend', () => {
  test('auto picks the best engine that loads, says why better ones were skipped, and the process exits by itself', () => {
    const out = runScript(`
      import { selectBackend, describeBackendChoice } from './packages/node-runner/src/backend/selectBackend.ts';
      const { createEngine, ...choice } = await selectBackend();
      console.log(JSON.stringify({ choice, line: describeBackendChoice({ createEngine, ...choice }) }));`);
    // This machine and CI have no GPU: ONNX Runtime on the CPU, after the GPU providers said why not.
    assert.equal(out.choice.name, 'onnx-cpu', out.line);
    assert.deepEqual(out.choice.skipped.map((s: { name: string }) => s.name), ['onnx-cuda', 'onnx-dml', 'onnx-webgpu', 'onnx-coreml']);
    assert.match(out.line, /^backend: onnx-cpu on .+ \(not used: onnx-cuda: ONNX Runtime's CUDA provider is not installed/);
  });

  test('auto never takes a software GPU; asked for by name, onnx-webgpu runs on it and says so', () => {
    assert.ok(existsSync(SWIFTSHADER_ICD), `${SWIFTSHADER_ICD} is missing: install Debian's chromium (and libvulkan1)`);
    const env = { VK_ICD_FILENAMES: SWIFTSHADER_ICD };
    const auto = runScript(`
      import { selectBackend } from './packages/node-runner/src/backend/selectBackend.ts';
      const { createEngine, ...choice } = await selectBackend();
      console.log(JSON.stringify(choice));`, env);
    assert.equal(auto.name, 'onnx-cpu');
    assert.match(auto.skipped.find((s: { name: string }) => s.name === 'onnx-webgpu').reason, /software adapter \(SwiftShader/);
    const forced = runScript(`
      import { selectBackend } from './packages/node-runner/src/backend/selectBackend.ts';
      const { createEngine, ...choice } = await selectBackend('onnx-webgpu');
      console.log(JSON.stringify(choice));`, env);
    assert.equal(forced.name, 'onnx-webgpu');
    assert.equal(forced.software, true);
    assert.match(forced.device, /SwiftShader.*\(software\)/);
    assert.ok(forced.maxTensorBytes >= 128 * 2 ** 20, `maxTensorBytes ${forced.maxTensorBytes}`);
  });

  test('wasm uses every core (threaded build), computes what the single-threaded build computes, and leaves no files', () => {
    assert.ok(os.availableParallelism() >= 2, 'this test needs two cores');
    const tmp = mkdtempSync(path.join(scratch, 'tmp-'));
    const threaded = runScript(`
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs';
      import { selectBackend } from './packages/node-runner/src/backend/selectBackend.ts';
      const choice = await selectBackend('wasm');
      ${CONV}
      console.log(JSON.stringify({ threads: choice.threads, active: tf.getBackend(), values }));`, { TMPDIR: tmp });
    assert.equal(threaded.active, 'wasm-threaded');
    assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('pastiche-')), [], 'the pthread worker’s file outlived the process'); // tsx keeps its cache there too
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

  test('an explicit engine that cannot load is refused with the reason', () => {
    const out = runScript(`
      import { selectBackend } from './packages/node-runner/src/backend/selectBackend.ts';
      try { await selectBackend('onnx-dml'); console.log(JSON.stringify({ ok: true })); }
      catch (error) { console.log(JSON.stringify({ message: error.message })); }`);
    assert.match(out.message ?? '', /no engine could be loaded \(onnx-dml: not available on linux-x64\)/);
  });
});
