import * as tf from '@tensorflow/tfjs-core';
import os from 'node:os';
import type * as WasmBackendModule from '@tensorflow/tfjs-backend-wasm';
import { createOnnxEngine, createTfjsEngine, probeExecutionProvider, type CreateEngine } from '@pastiche/core';
import { collectGarbage } from './collectGarbage.ts';
import { assertCudaProviderInstalled, loadOnnxRuntime } from './loadOnnxRuntime.ts';
import { probeWebGpuAdapter } from './probeWebGpuAdapter.ts';
import { registerThreadedWasmBackend, threadedWasmThreads } from './registerThreadedWasmBackend.ts';

/**
 * Every engine, in the order `auto` tries them: a real GPU first (ONNX Runtime's CUDA, DirectML, WebGPU,
 * CoreML providers), then the fastest CPU engine (ONNX Runtime), then TensorFlow.js's wasm and pure-JS cpu.
 * On a Mac WebGPU (Metal through Dawn) comes before CoreML: it runs every op of the graph, where CoreML
 * takes only those it knows and hands the rest back to the CPU.
 */
export const BACKEND_NAMES = ['onnx-cuda', 'onnx-dml', 'onnx-webgpu', 'onnx-coreml', 'onnx-cpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What a chosen engine is, in data that crosses a process boundary (the runner's engine processes). */
export interface BackendInfo {
  name: BackendName;
  /** What runs it: the GPU adapter, the CPU, with its threads. */
  device: string;
  /** The largest single buffer the device allows, bytes (GPUs); the engine refuses images that need more. */
  maxTensorBytes?: number;
  /** Threads of the wasm backend (1 when it runs single-threaded). */
  threads?: number;
  /** A software GPU: chosen only when asked for by name. */
  software?: boolean;
  /** Better backends that did not load, and why. */
  skipped: Array<{ name: BackendName; reason: string }>;
}

export interface BackendChoice extends BackendInfo {
  /** Makes the engine for a model's weights. */
  createEngine: CreateEngine;
}

type Loaded = Omit<BackendChoice, 'name' | 'skipped'>;

/** A real GPU: one of ONNX Runtime's GPU providers on a hardware adapter. */
export const isGpu = (b: Pick<BackendInfo, 'name' | 'software'>) => b.name.startsWith('onnx-') && b.name !== 'onnx-cpu' && !b.software;

const ONNX_PROVIDERS = { 'onnx-cuda': 'cuda', 'onnx-dml': 'dml', 'onnx-coreml': 'coreml', 'onnx-webgpu': 'webgpu', 'onnx-cpu': 'cpu' } as const;
/** Where each provider can exist at all (onnxruntime-node's builds). */
const PROVIDER_PLATFORMS: Record<keyof typeof ONNX_PROVIDERS, string[]> = {
  'onnx-cuda': ['linux-x64', 'win32-x64'],
  'onnx-dml': ['win32-x64', 'win32-arm64'],
  'onnx-coreml': ['darwin-arm64'],
  'onnx-webgpu': ['linux-x64', 'win32-x64', 'win32-arm64', 'darwin-arm64'],
  'onnx-cpu': ['linux-x64', 'linux-arm64', 'win32-x64', 'win32-arm64', 'darwin-arm64'],
};

/**
 * The memory a run may take unless --max-memory says otherwise: three quarters of the machine's, leaving the
 * rest to the system and the editor. (A GPU's own memory is not known from here; its largest buffer is.)
 */
const defaultMemoryBytes = () => Math.floor(os.totalmem() * 0.75);

const cpuName = () => `${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${os.availableParallelism()} threads`;

async function loadOnnx(name: keyof typeof ONNX_PROVIDERS, forced: boolean): Promise<Loaded> {
  const platform = `${process.platform}-${process.arch}`;
  if (!PROVIDER_PLATFORMS[name].includes(platform)) throw new Error(`not available on ${platform}`);
  const provider = ONNX_PROVIDERS[name];
  let device = cpuName();
  let maxTensorBytes: number | undefined;
  let software = false;
  if (name === 'onnx-webgpu') {
    const adapter = await probeWebGpuAdapter();
    if (adapter.software && !forced) throw new Error(`only a software adapter (${adapter.description}), slower than the CPU; --backend onnx-webgpu uses it anyway`);
    device = `${adapter.description}${adapter.software ? ' (software)' : ''}`;
    maxTensorBytes = adapter.maxStorageBufferBindingSize;
    software = adapter.software;
  } else if (name === 'onnx-cuda') {
    assertCudaProviderInstalled();
    device = 'NVIDIA GPU (CUDA)';
  } else if (name !== 'onnx-cpu') {
    device = `${provider} device`;
  }
  const ort = await loadOnnxRuntime();
  // Fatal only: a provider that cannot start is reported here, not logged by ORT.
  await probeExecutionProvider(ort, { executionProviders: [provider], logSeverityLevel: 4 }).catch((error: Error) => {
    throw new Error(`the ${provider} provider did not start (${error.message.split('\n')[0].slice(0, 300)})`);
  });
  // Every logical core: ORT's default counts physical ones, one on a 2-vCPU machine, which halved its speed here.
  const sessionOptions = { executionProviders: [provider], intraOpNumThreads: os.availableParallelism() };
  const createEngine = createOnnxEngine({ ort, name, sessionOptions, maxTensorBytes, memoryBytes: defaultMemoryBytes(), collectGarbage });
  return { createEngine, device, maxTensorBytes, software };
}

async function loadTfjs(name: 'wasm' | 'cpu'): Promise<Loaded> {
  // wasm: its 4 GiB heap (the engine's default); cpu: the host's memory.
  const createEngine: CreateEngine = (model, weights) => createTfjsEngine(model, weights, { name, limits: name === 'cpu' ? { memoryBytes: defaultMemoryBytes() } : undefined });
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('backend cpu failed to initialise');
    await tf.ready();
    return { createEngine, device: 'TensorFlow.js pure JavaScript, 1 thread' };
  }
  const threads = await startWasm(await import('@tensorflow/tfjs-backend-wasm'));
  return { createEngine, device: `TensorFlow.js wasm (SIMD), ${threads} thread${threads > 1 ? 's' : ''}`, threads };
}

/** Loads one engine; `forced` (asked for by name) accepts a software GPU. */
export function loadBackend(name: BackendName, forced: boolean): Promise<Loaded> {
  return name === 'wasm' || name === 'cpu' ? loadTfjs(name) : loadOnnx(name, forced);
}

/**
 * Loads the best engine that works here (or exactly the one asked for) and says why better ones were
 * skipped. `auto` never takes a software GPU.
 */
export async function selectBackend(preference: BackendName | 'auto' = 'auto'): Promise<BackendChoice> {
  const order = preference === 'auto' ? BACKEND_NAMES : [preference];
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

/**
 * wasm on every core when there are several (threaded build, about 1.8× faster on two cores), else, or
 * if that fails to start, the single-threaded build.
 */
async function startWasm(wasm: typeof WasmBackendModule): Promise<number> {
  const threads = os.availableParallelism();
  if (threads > 1) {
    try {
      if (await tf.setBackend(registerThreadedWasmBackend(threads, wasm))) {
        await tf.ready();
        return threadedWasmThreads();
      }
    } catch {
      // fall through to the single-threaded build
    }
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('backend wasm failed to initialise');
  await tf.ready();
  return 1;
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
