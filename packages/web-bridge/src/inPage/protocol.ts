import { BROWSER_BACKEND_NAMES, ENGINES, type BrowserBackendName, type EvaluationCalibration, type StylizeOptions, type VggModelName } from '@pastiche/core';
import type { BridgeJob, BridgeProgress, BridgeResult } from '../types.ts';
import type { WeightsProblem } from '../weights/weightsProblem.ts';

/** Every engine a page's worker loads, in core's registry order: a hardware GPU through ONNX Runtime, else TensorFlow.js: WebGL, WebAssembly, the CPU. */
export const DEFAULT_BACKENDS: BrowserBackendName[] = [...BROWSER_BACKEND_NAMES];
/** For a worker built without ONNX Runtime, in a page without WebGPU (Figma's data: URL UI). */
export const TFJS_BACKENDS: BrowserBackendName[] = DEFAULT_BACKENDS.filter((name) => 'tfjsBackend' in ENGINES[name]);

/** One place to fetch a model from, in a form a worker can receive (a RunnerClient cannot cross). */
export interface WeightsCandidate {
  /** model.json; the shards it names are fetched relative to it, with the same headers. */
  url: string;
  headers: Record<string, string>;
  model: VggModelName;
  /** For messages: "the runner at 127.0.0.1:7878", or the URL. */
  label: string;
}

export interface WorkerSetup {
  backends: BrowserBackendName[];
  wasmPaths?: string | Record<string, string>;
  /** The folder onnxruntime-web's .wasm files are fetched from (ORT_WEB_BINARIES by default). */
  ortWasmBase: string;
  /** Lets onnx-webgpu run on a software adapter (SwiftShader, llvmpipe): tests only, it is slower than the CPU. */
  allowSoftwareGpu?: boolean;
  weights: WeightsCandidate[];
}

/** How the weights were had: where from, and whether they could be kept in the Cache API for next time. */
export interface WeightsInfo {
  source: string;
  model: VggModelName;
  bytes: number;
  cache: 'cache-api' | 'memory-only';
  /** Shards that came from the Cache API rather than the network. */
  fromCache: boolean;
}

export interface ReadyInfo {
  backend: BrowserBackendName;
  /** The GPU adapter onnx-webgpu runs on ("nvidia / ampere"), when it is the backend. */
  device?: string;
  /** Why earlier backends were passed over ("webgl: no float32 render targets"). */
  skipped: string[];
  weights: WeightsInfo;
}

/** How the worker picks its backend: the setup less the weights. */
export type BackendSetup = Pick<WorkerSetup, 'backends' | 'wasmPaths' | 'ortWasmBase' | 'allowSoftwareGpu'>;

export type MainToWorker =
  | { type: 'setup'; setup: WorkerSetup }
  /** Time one evaluation of these options' objective on weights of the real shapes (no download); after any job in hand. */
  | { type: 'calibrate'; id: number; backend: BackendSetup; options: StylizeOptions }
  | { type: 'stylize'; id: number; job: BridgeJob }
  | { type: 'cancel'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  field?: string;
  /** A WeightsLoadError's cause, for the panels to explain. */
  problem?: WeightsProblem;
}

export type WorkerToMain =
  | { type: 'weights-progress'; loaded: number; total: number }
  | { type: 'ready'; info: ReadyInfo }
  | { type: 'setup-failed'; error: SerializedError }
  | { type: 'progress'; id: number; progress: BridgeProgress }
  | { type: 'done'; id: number; result: BridgeResult }
  | { type: 'calibrated'; id: number; calibration: EvaluationCalibration }
  | { type: 'failed'; id: number; error: SerializedError };
