/**
 * The in-page engine's Web Worker: picks the backend, loads the weights once and keeps the engine for the
 * session, and paints one job at a time so the page stays responsive. Its entries (engineWorker.ts,
 * engineWorkerWithoutOnnx.ts) are bundled into a single classic script by buildWorkerBundle (src/build).
 */
import { calibrateEngine, createPastiche, objectiveSteps, validateOptions, type Pastiche, type StylizeOptions } from '@pastiche/core';
import type { BackendSetup, MainToWorker, ReadyInfo, SerializedError, WorkerSetup, WorkerToMain } from '../inPage/protocol.ts';
import type { BridgeJob, BridgeProgress, EncodedImage } from '../types.ts';
import { calibrationWeights } from './calibrationWeights.ts';
import { decodeImage } from './decodeImage.ts';
import { encodePng } from './encodePng.ts';
import { loadWeights } from './loadWeights.ts';
import { selectWorkerBackend, type SelectedBackend, type StartOnnxWebGpu } from './selectWorkerBackend.ts';

interface WorkerScope {
  postMessage(message: WorkerToMain, options?: { transfer?: Transferable[] }): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<MainToWorker>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
const post = (message: WorkerToMain, transfer: Transferable[] = []) => scope.postMessage(message, { transfer });

let engine: Promise<{ pastiche: Pastiche; info: ReadyInfo }> | undefined;
/** Picked once for the worker's life: a backend's start (tfjs's) cannot be undone, and setup and calibration share it. */
let backend: Promise<SelectedBackend> | undefined;
let lastJob: Promise<unknown> = Promise.resolve();
const cancels = new Map<number, AbortController>();

/** Answers the page's messages; `startOnnxWebGpu` where this bundle carries ONNX Runtime. */
export function serveEngine(startOnnxWebGpu?: StartOnnxWebGpu): void {
  scope.addEventListener('message', ({ data: message }) => {
    switch (message.type) {
      case 'setup':
        engine ??= setUp(message.setup, startOnnxWebGpu);
        engine.then(
          ({ info }) => post({ type: 'ready', info }),
          (error) => {
            engine = undefined; // the host may try again (after pairing, say)
            post({ type: 'setup-failed', error: serializeError(error) });
          },
        );
        break;
      case 'stylize': {
        const controller = new AbortController();
        cancels.set(message.id, controller);
        lastJob = lastJob.then(() => paint(message.id, message.job, controller.signal)).finally(() => cancels.delete(message.id));
        break;
      }
      case 'calibrate': {
        // The page cancels a timing when a run starts (and asks again after it): it stops between evaluations.
        const { id } = message;
        const controller = new AbortController();
        cancels.set(id, controller);
        lastJob = lastJob
          .then(() =>
            calibrate(message.backend, message.options, controller.signal, startOnnxWebGpu).then(
              (calibration) => post({ type: 'calibrated', id, calibration }),
              (error) => post({ type: 'failed', id, error: serializeError(error) }),
            ),
          )
          .finally(() => cancels.delete(id));
        break;
      }
      case 'cancel':
        cancels.get(message.id)?.abort(new DOMException('the render was cancelled', 'AbortError'));
        break;
    }
  });
}

async function setUp(setup: WorkerSetup, startOnnxWebGpu?: StartOnnxWebGpu): Promise<{ pastiche: Pastiche; info: ReadyInfo }> {
  const { backend: name, createEngine, device, skipped } = await pickBackend(setup, startOnnxWebGpu);
  const { source, info: weights } = await loadWeights(setup.weights, ({ loaded, total }) => post({ type: 'weights-progress', loaded, total }));
  const pastiche = createPastiche({ weights: { [weights.model]: source }, createEngine });
  await pastiche.loadModel(weights.model);
  return { pastiche, info: { backend: name, ...(device ? { device } : {}), skipped, weights } };
}

function pickBackend(setup: BackendSetup, startOnnxWebGpu?: StartOnnxWebGpu): Promise<SelectedBackend> {
  backend ??= selectWorkerBackend(setup, startOnnxWebGpu).catch((error) => {
    backend = undefined; // tried again with the next setup
    throw error;
  });
  return backend;
}

/** Per pixel within 10 % of 256 px on WebAssembly (0.86 s at 128 px, 3.2 s at 256, full depth: docs/schedule.md), at a quarter of the cost. */
const CALIBRATION_SIDE = 128;

async function calibrate(setup: BackendSetup, raw: StylizeOptions, signal: AbortSignal, startOnnxWebGpu?: StartOnnxWebGpu) {
  signal.throwIfAborted();
  const { createEngine } = await pickBackend(setup, startOnnxWebGpu);
  const options = validateOptions({ ...raw, size: CALIBRATION_SIDE });
  const steps = objectiveSteps(options);
  const timed = await createEngine(options.model, calibrationWeights(options.model, steps[steps.length - 1].name));
  try {
    return await calibrateEngine(timed, options, CALIBRATION_SIDE, signal);
  } finally {
    timed.dispose();
  }
}

async function paint(id: number, job: BridgeJob, signal: AbortSignal): Promise<void> {
  try {
    signal.throwIfAborted();
    if (!engine) throw new Error('the engine is not set up');
    const { pastiche } = await engine;
    const options = validateOptions(job.options); // early, so a bad option is named before any decoding
    const content = await decodeImage(job.content, options.size, 'content');
    const styleSide = Math.ceil(options.size * options.styleScale);
    // Masks are stretched to the content anyway: decoded at the content's side.
    const mask = (image: EncodedImage | undefined, field: string) => image && decodeImage(image, options.size, field);
    const styles = await Promise.all(
      job.styles.map(async (s, i) => ({ image: await decodeImage(s.image, styleSide, `styles[${i}].image`), weight: s.weight, mask: await mask(s.mask, `styles[${i}].mask`) })),
    );
    const contentMask = await mask(job.contentMask, 'contentMask');
    const initImage = job.initImage && (await decodeImage(job.initImage, options.size, 'initImage'));
    const result = await pastiche.stylize(
      { content, styles, contentMask, initImage, options: { ...job.options, seed: options.seed } },
      {
        signal,
        previewEvery: job.preview?.every ?? 10,
        previewMaxSide: job.preview?.maxSide ?? 256,
        onProgress: async ({ preview, ...progress }) => {
          const message: BridgeProgress = { ...progress };
          if (preview) message.preview = { bytes: await encodePng(preview), mime: 'image/png' };
          post({ type: 'progress', id, progress: message }, message.preview ? [message.preview.bytes.buffer as ArrayBuffer] : []);
          // The optimiser's loop can run on promise continuations alone (wasm answers at once), which never
          // let the worker take a message: one task turn per evaluation lets a cancel in.
          await new Promise((resolve) => setTimeout(resolve, 0));
        },
      },
    );
    const png = await encodePng(result.image);
    const { evaluations, elapsedMs, seed, backend } = result.stats;
    post(
      { type: 'done', id, result: { png, width: result.image.width, height: result.image.height, stats: { evaluations, elapsedMs, seed, backend, engine: 'in-page' } } },
      [png.buffer as ArrayBuffer],
    );
  } catch (error) {
    post({ type: 'failed', id, error: serializeError(error) });
  }
}

function serializeError(error: unknown): SerializedError {
  const { name = 'Error', message = String(error), field, problem } = (error ?? {}) as SerializedError;
  return { name, message, ...(typeof field === 'string' ? { field } : {}), ...(problem ? { problem } : {}) };
}
