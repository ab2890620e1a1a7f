import os from 'node:os';
import { createTfjsEngine, ENGINES, NODE_BACKEND_NAMES, type CreateEngine, type NodeBackendName } from '@pastiche/core';
import { startOnnxBackend } from './onnxruntime/startOnnxBackend.ts';
import { checkTfjsVersion } from './tfjs/checkTfjsVersion.ts';
import { startTfjsBackend } from './tfjs/startTfjsBackend.ts';

/** What a chosen engine is, in data that crosses a process boundary (the runner's engine processes). */
export interface BackendInfo {
  name: NodeBackendName;
  /** What runs it: the GPU adapter, the CPU, with its threads. */
  device: string;
  /** The largest single buffer the device allows, bytes (GPUs); the engine refuses images that need more. */
  maxTensorBytes?: number;
  /** Threads of the wasm backend (1 when it runs single-threaded). */
  threads?: number;
  /** A software GPU: chosen only when asked for by name. */
  software?: boolean;
  /** Better backends that did not load, and why. */
  skipped: Array<{ name: NodeBackendName; reason: string }>;
}

export interface BackendChoice extends BackendInfo {
  /** Makes the engine for a model's weights. */
  createEngine: CreateEngine;
}

type Loaded = Omit<BackendChoice, 'name' | 'skipped'>;

/**
 * The memory a run may take unless --max-memory says otherwise: three quarters of the machine's, leaving the
 * rest to the system and the editor. (A GPU's own memory is not known from here; its largest buffer is.)
 */
const defaultMemoryBytes = () => Math.floor(os.totalmem() * 0.75);

const cpuName = () => `${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${os.availableParallelism()} threads`;

async function loadTfjs(name: 'wasm' | 'cpu'): Promise<Loaded> {
  // wasm: its 4 GiB heap (the engine's default); cpu: the host's memory.
  const limits = name === 'cpu' ? { memoryBytes: defaultMemoryBytes() } : undefined;
  const threads = await startTfjsBackend(name);
  const runtime = checkTfjsVersion(ENGINES[name].node.package);
  const createEngine: CreateEngine = (model, weights) => createTfjsEngine(model, weights, { name, runtime, limits });
  if (name === 'cpu') return { createEngine, device: 'TensorFlow.js pure JavaScript, 1 thread' };
  return { createEngine, device: `TensorFlow.js wasm (SIMD), ${threads} thread${threads > 1 ? 's' : ''}`, threads };
}

/** Loads one engine; `forced` (asked for by name) accepts a software GPU. */
export function loadBackend(name: NodeBackendName, forced: boolean): Promise<Loaded> {
  if (name === 'wasm' || name === 'cpu') return loadTfjs(name);
  return startOnnxBackend(name, { forced, device: cpuName(), memoryBytes: defaultMemoryBytes() });
}

/**
 * Loads the best engine that works here (or exactly the one asked for) and says why better ones were
 * skipped. `auto` tries the registry's Node engines in its order and never takes a software GPU.
 */
export async function selectBackend(preference: NodeBackendName | 'auto' = 'auto'): Promise<BackendChoice> {
  const order = preference === 'auto' ? NODE_BACKEND_NAMES : [preference];
  const skipped: BackendChoice['skipped'] = [];
  for (const name of order) {
    try {
      return { name, ...(await loadBackend(name, preference !== 'auto')), skipped };
    } catch (error) {
      skipped.push({ name, reason: describeLoadError(error) });
    }
  }
  const reasons = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`no engine could be loaded (${reasons})`);
}

export function describeLoadError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') return `${e.message.match(/'([^']+)'/)?.[1] ?? 'a package'} is not installed`;
  return (e?.message ?? String(error)).split('\n')[0];
}

/** One line for the user: which engine runs on what, and why better ones did not. */
export function describeBackendChoice(choice: BackendInfo): string {
  const why = choice.skipped.length ? ` (not used: ${choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : '';
  return `backend: ${choice.name} on ${choice.device}${why}`;
}
