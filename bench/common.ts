// Shared by the benchmark scripts: paths, weights sources, child processes, small statistics.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ReaderWeightsSource } from '@pastiche/core';
import { seededRandom } from '../packages/core/src/random/seededRandom.ts';
import { withMallocTuning, withoutMallocTuning } from '../packages/node-runner/src/engine/mallocTuning.ts';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = path.resolve(BENCH_DIR, '..');
export const SHARED_DIR = path.resolve(REPO_DIR, '..', 'shared');
export const REAL_WEIGHTS_DIR = path.join(SHARED_DIR, 'models', 'vgg16');
export const IMAGES_DIR = path.join(SHARED_DIR, 'images');
export const CACHE_DIR = path.join(BENCH_DIR, '.cache');
export const SYNTHETIC_WEIGHTS_DIR = path.join(CACHE_DIR, 'vgg16-synthetic');
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');
export const TORCH_DIR = path.join(BENCH_DIR, 'torch');
/** The python that has torch (the first python3 on PATH may be another install without it). */
export const PYTHON = process.env.PASTICHE_BENCH_PYTHON ?? '/usr/bin/python3';

/** Seed of the synthetic weights; PyTorch and TensorFlow.js both load the same folder. */
export const SYNTHETIC_SEED = 0;
export const FULL_STYLE_LAYERS = ['block1_conv2', 'block2_conv2', 'block3_conv3', 'block4_conv3', 'block5_conv3'];
export const BLOCK3_STYLE_LAYERS = ['block1_conv2', 'block2_conv2', 'block3_conv3'];
export const CONTENT_LAYERS = ['block2_conv2'];
const VGG16_CONV_LAYERS = [
  'block1_conv1', 'block1_conv2', 'block2_conv1', 'block2_conv2', 'block3_conv1', 'block3_conv2', 'block3_conv3',
  'block4_conv1', 'block4_conv2', 'block4_conv3', 'block5_conv1', 'block5_conv2', 'block5_conv3',
];

/** A `reader` weights source over a layers-format folder (model.json + the files its manifest names). */
export function folderSource(folder: string): ReaderWeightsSource {
  return { kind: 'reader', read: async (file) => new Uint8Array(await readFile(path.join(folder, file))) };
}

/**
 * The seeded synthetic full-depth VGG16 (He-normal kernels, zero biases) in bench/.cache, written once by
 * bench/torch/make_synthetic_weights.py so that PyTorch and TensorFlow.js load exactly the same weights.
 */
export async function ensureSyntheticWeights(): Promise<string> {
  const complete = ['model.json', ...VGG16_CONV_LAYERS.map((l) => `${l}.bin`)].every((f) => existsSync(path.join(SYNTHETIC_WEIGHTS_DIR, f)));
  if (!complete) {
    log(`writing synthetic VGG16 weights (seed ${SYNTHETIC_SEED}) to ${path.relative(REPO_DIR, SYNTHETIC_WEIGHTS_DIR)}`);
    await runPython('make_synthetic_weights.py', [SYNTHETIC_WEIGHTS_DIR, 'vgg16', '--seed', String(SYNTHETIC_SEED)]);
  }
  return SYNTHETIC_WEIGHTS_DIR;
}

/** Progress and notes go to stderr so that stdout stays machine-readable in child scripts. */
export function log(message: string) {
  process.stderr.write(`${message}\n`);
}

export function loadAverage(): string {
  return os.loadavg().map((x) => x.toFixed(2)).join(' ');
}

export function machine() {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
  };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Peak resident set size of this process so far, MB. */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024; // KiB on Linux
}

/** Parses `--name value` / `--flag` arguments. */
export function parseArgs(argv: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.set(a.slice(2), argv[++i]);
    else out.set(a.slice(2), true);
  }
  return out;
}

/**
 * Runs a command; its stderr (progress lines) is passed through, its stdout collected. Resolves with
 * stdout; rejects with the exit status and the tail of stdout when it fails.
 */
export function runProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_DIR, env: options.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${path.basename(command)} ${args.map((a) => path.basename(a)).join(' ')} exited with ${signal ?? code}${stdout ? `: ${stdout.trim().slice(-500)}` : ''}`));
    });
  });
}

/**
 * Runs a script of bench/torch with the system's Python, in bench/torch, as PyTorch's users run it: without
 * the malloc tuning this bench runs under (it slows PyTorch's evaluations 1.4–2.8×: measured).
 */
export function runPython(script: string, args: string[]): Promise<string> {
  return runProcess(PYTHON, [path.join(TORCH_DIR, script), ...args], { cwd: TORCH_DIR, env: withoutMallocTuning(process.env) });
}

/**
 * Runs a bench TypeScript script in a fresh Node process, with the malloc tuning pastiche gives its own
 * engine processes (also when a script is run on its own); its last stdout line is JSON.
 */
export async function runChildScript<T>(script: string, args: string[]): Promise<T> {
  const stdout = await runProcess(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, script), ...args], { env: withMallocTuning(process.env) });
  return lastJsonLine<T>(stdout);
}

export function lastJsonLine<T>(stdout: string): T {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`expected a JSON line, got: ${stdout.trim().slice(-500)}`);
  }
}

/** A seeded random RGBA image. */
export function randomRgba(width: number, height: number, seed: number) {
  const next = seededRandom(seed);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? 255 : Math.floor(next() * 256);
  return { width, height, data };
}

/** Whether the module at `moduleUrl` is the script Node was started with. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === moduleUrl;
}

/** Runs a bench script's `main` when the file is run itself; exits when it ends (tfjs-node and wasm may keep handles open). */
export function runAsScript(moduleUrl: string, main: () => Promise<unknown>): void {
  if (!isMain(moduleUrl)) return;
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
