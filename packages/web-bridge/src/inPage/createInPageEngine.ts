import { ENGINES, type BrowserBackendName, type EvaluationCalibration, type StylizeOptions } from '@pastiche/core';
import { abortError } from '../abortError.ts';
import type { BridgeJob, BridgeProgress, BridgeEngine, BridgeResult, StylizeCallOptions } from '../types.ts';
import type { WeightsLocation } from './WeightsLocation.ts';
import { DEFAULT_BACKENDS, type MainToWorker, type ReadyInfo, type SerializedError, type WorkerToMain } from './protocol.ts';
import { InPageEngineError } from './InPageEngineError.ts';
import { ORT_WEB_BINARIES } from './ortWebBinaries.ts';
import { resolveWeightsCandidates } from './resolveWeightsCandidates.ts';

export interface InPageEngineConfig {
  weights: WeightsLocation;
  /** Tried in order; default DEFAULT_BACKENDS: onnx-webgpu on a hardware adapter, webgl, wasm, cpu. */
  backends?: BrowserBackendName[];
  /** Where the wasm backend finds its .wasm files: a folder URL, or one URL (a data: URL works) per file name. */
  wasmPaths?: string | Record<string, string>;
  /** The folder with onnxruntime-web's .wasm files; default ORT_WEB_BINARIES (jsDelivr). */
  ortWasmBase?: string;
  /** Lets onnx-webgpu run on a software adapter (tests: SwiftShader); never chosen otherwise. */
  allowSoftwareGpu?: boolean;
  onWeightsProgress?(progress: { loaded: number; total: number }): void;
  /**
   * The worker script: the URL of the bundle buildWorkerBundle wrote, or workerUrlFromSource(bundle) for a
   * host that inlines everything into one file.
   */
  workerUrl: string | URL;
}

export interface InPageEngine extends BridgeEngine {
  readonly kind: 'in-page';
  /** Starts the worker, picks the backend and loads the weights (once; again only after a failure). stylize() calls it. */
  prepare(): Promise<ReadyInfo>;
  /** What prepare() found, once it has. */
  readonly info: ReadyInfo | undefined;
  /**
   * Times one evaluation of these options' objective in the worker, on weights of the real shapes (nothing
   * is downloaded): the panels price a run with it before the first one. A run comes first: the timing waits
   * while one is in hand, and one in progress stops when a run starts (it would hold the run's weights'
   * download for seconds: docs/schedule.md) and is timed again once no run is left. `onWaiting` says when it
   * starts and stops waiting for runs.
   */
  calibrate(options: StylizeOptions, onWaiting?: (waiting: boolean) => void): Promise<EvaluationCalibration>;
}

interface PendingCalibration {
  options: StylizeOptions;
  onWaiting?(waiting: boolean): void;
  resolve(calibration: EvaluationCalibration): void;
  reject(error: unknown): void;
}

interface PendingJob {
  resolve(result: BridgeResult): void;
  reject(error: unknown): void;
  onProgress?(progress: BridgeProgress): void;
}

/**
 * Paints in this page, in a dedicated worker (the page stays responsive): ONNX Runtime on a hardware
 * WebGPU adapter, else TensorFlow.js on WebGL, else WebAssembly, else the CPU. The worker keeps the weights and the engine for the whole session.
 */
export function createInPageEngine(config: InPageEngineConfig): InPageEngine {
  let worker: Worker | undefined;
  let info: ReadyInfo | undefined;
  let preparing: { promise: Promise<ReadyInfo>; resolve(info: ReadyInfo): void; reject(error: unknown): void } | undefined;
  const pending = new Map<number, PendingJob>();
  /** Timings sent to the worker, by id; those that wait for the runs in hand (stylize calls not settled yet). */
  const calibrations = new Map<number, PendingCalibration>();
  const waitingCalibrations: PendingCalibration[] = [];
  let runsInHand = 0;
  let nextId = 1;
  let disposed = false;

  const send = (message: MainToWorker) => worker!.postMessage(message);
  const failAll = (error: unknown) => {
    preparing?.reject(error);
    preparing = undefined;
    for (const job of [...pending.values(), ...calibrations.values(), ...waitingCalibrations]) job.reject(error);
    pending.clear();
    calibrations.clear();
    waitingCalibrations.length = 0;
  };
  const calibrateWhenIdle = (calibration: PendingCalibration) => {
    if (runsInHand > 0) {
      waitingCalibrations.push(calibration);
      return calibration.onWaiting?.(true);
    }
    worker ??= startWorker();
    const id = nextId++;
    calibrations.set(id, calibration);
    send({ type: 'calibrate', id, backend: backendSetup(), options: calibration.options });
  };

  const onMessage = ({ data: message }: MessageEvent<WorkerToMain>) => {
    switch (message.type) {
      case 'weights-progress':
        config.onWeightsProgress?.({ loaded: message.loaded, total: message.total });
        break;
      case 'ready':
        info = message.info;
        preparing?.resolve(message.info);
        break;
      case 'setup-failed':
        preparing?.reject(deserializeError(message.error));
        preparing = undefined;
        break;
      case 'progress':
        pending.get(message.id)?.onProgress?.(message.progress);
        break;
      case 'done':
        pending.get(message.id)?.resolve(message.result);
        pending.delete(message.id);
        break;
      case 'calibrated':
        calibrations.get(message.id)?.resolve(message.calibration);
        calibrations.delete(message.id);
        break;
      case 'failed': {
        const calibration = calibrations.get(message.id);
        const error = deserializeError(message.error);
        // A timing stopped for a run is timed again after it (a timing that had ended first resolved above).
        if (calibration && error.name === 'AbortError') calibrateWhenIdle(calibration);
        else (pending.get(message.id) ?? calibration)?.reject(error);
        pending.delete(message.id);
        calibrations.delete(message.id);
        break;
      }
    }
  };

  const startWorker = () => {
    const started = new Worker(config.workerUrl, { name: 'pastiche-engine' });
    started.addEventListener('message', onMessage);
    started.addEventListener('error', (event) => {
      event.preventDefault();
      started.terminate();
      if (worker === started) worker = undefined; // a later prepare() starts a fresh one
      failAll(new Error(`the in-page engine's worker failed: ${event.message || 'its script could not be loaded'}`));
    });
    return started;
  };

  const backendSetup = () => ({
    backends: config.backends ?? DEFAULT_BACKENDS,
    wasmPaths: config.wasmPaths,
    ortWasmBase: config.ortWasmBase ?? ORT_WEB_BINARIES,
    allowSoftwareGpu: config.allowSoftwareGpu,
  });

  const prepare = () => {
    if (disposed) return Promise.reject(new Error('the in-page engine was disposed'));
    if (!preparing) {
      let resolve!: (info: ReadyInfo) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<ReadyInfo>((res, rej) => ((resolve = res), (reject = rej)));
      preparing = { promise, resolve, reject };
      worker ??= startWorker();
      send({ type: 'setup', setup: { ...backendSetup(), weights: resolveWeightsCandidates(config.weights) } });
    }
    return preparing.promise;
  };

  return {
    kind: 'in-page',
    get info() {
      return info;
    },
    prepare,
    describe() {
      if (!info) return 'in this page (starting)';
      // Why no GPU is used matters on the CPU only; WebGL where WebGPU is missing is the expected case.
      const why = (info.backend === 'wasm' || info.backend === 'cpu') && info.skipped.length ? ` (${info.skipped.join('; ')})` : '';
      return `in this page, ${ENGINES[info.backend].label}${info.device ? ` on ${info.device}` : ''}${why}`;
    },
    calibrate(options, onWaiting) {
      if (disposed) return Promise.reject(new Error('the in-page engine was disposed'));
      return new Promise<EvaluationCalibration>((resolve, reject) => calibrateWhenIdle({ options, onWaiting, resolve, reject }));
    },
    async stylize(job: BridgeJob, callOptions: StylizeCallOptions = {}) {
      if (callOptions.signal?.aborted) throw abortError(callOptions.signal);
      runsInHand++;
      for (const id of calibrations.keys()) send({ type: 'cancel', id });
      try {
        return await stylizeInWorker(job, callOptions);
      } finally {
        runsInHand--;
        if (runsInHand === 0) {
          for (const calibration of waitingCalibrations.splice(0)) {
            calibration.onWaiting?.(false);
            calibrateWhenIdle(calibration);
          }
        }
      }
    },
    dispose() {
      disposed = true;
      failAll(new Error('the in-page engine was disposed'));
      worker?.terminate();
      worker = undefined;
    },
  };

  async function stylizeInWorker(job: BridgeJob, { onProgress, signal }: StylizeCallOptions): Promise<BridgeResult> {
    await untilAborted(prepare(), signal);
    if (disposed) throw new Error('the in-page engine was disposed');
    const id = nextId++;
    return new Promise<BridgeResult>((resolve, reject) => {
      // A cancelled call rejects at once; the worker stops at its next evaluation and starts the next job after.
      const onAbort = () => {
        pending.delete(id);
        send({ type: 'cancel', id });
        reject(abortError(signal));
      };
      const settle = <T>(finish: (value: T) => void) => (value: T) => {
        signal?.removeEventListener('abort', onAbort);
        finish(value);
      };
      pending.set(id, { resolve: settle(resolve), reject: settle(reject), onProgress });
      signal?.addEventListener('abort', onAbort, { once: true });
      send({ type: 'stylize', id, job });
    });
  }
}

/** `promise`, or an AbortError as soon as `signal` aborts (the work itself goes on: preparing is shared). */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Errors cross the worker boundary as name, message, field and a weights problem; an AbortError stays a DOMException. */
function deserializeError({ name, message, field, problem }: SerializedError): Error {
  if (name === 'AbortError') return new DOMException(message, 'AbortError');
  const error = new InPageEngineError(message, field, problem);
  if (name !== 'Error') error.name = name; // PasticheInputError keeps its name; `field` says what was wrong
  return error;
}
