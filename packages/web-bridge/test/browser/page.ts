// The browser test's page: drives the in-page engine the way a host's UI would and shows what it gets.
import { createInPageEngine, createRunnerClient, workerUrlFromSource, type BridgeProgress, type InPageEngine, type ReadyInfo, type WeightsLocation } from '../../src/index.ts';
import type { BrowserBackendName, StylizeOptions } from '@pastiche/core';
import type { ParityReply, ParityRequest } from './onnxParityWorker.ts';

export interface StartOptions {
  /** Where the test server is (absolute URLs work from the opaque iframe too). */
  origin: string;
  token: string;
  /** `runner-first`: a dead URL, then the (fake) runner's weights route; `url`: the plain model.json URL. */
  weights: 'runner-first' | 'url';
  deadUrl?: string;
  /** Start the worker from its source text through a Blob URL, as single-file hosts do. */
  inlineWorker?: boolean;
  /** The worker bundle's path on the test server; default /worker.js. */
  workerPath?: string;
  backends?: BrowserBackendName[];
  wasmPaths?: string;
  ortWasmBase?: string;
  allowSoftwareGpu?: boolean;
}

export interface PaintOutcome {
  ok: boolean;
  error?: { name: string; message: string };
  width?: number;
  height?: number;
  decoded?: { width: number; height: number };
  stats?: unknown;
  progress: Array<{ totalEvaluation: number; preview: boolean; loss: number }>;
  /** Longest gap between 10 ms timer ticks on the page while it painted: the page stayed responsive. */
  longestStallMs: number;
  /** From stylize() to the first evaluation's progress (targets, graph building, shader compilation). */
  firstEvaluationMs?: number;
}

let engine: InPageEngine | undefined;
const weightsProgress: Array<{ loaded: number; total: number }> = [];

async function start(options: StartOptions): Promise<void> {
  engine?.dispose();
  const runner = createRunnerClient({ baseUrl: options.origin, token: options.token });
  const weights: WeightsLocation =
    options.weights === 'url'
      ? { url: `${options.origin}/models/vgg16/model.json` }
      : { fallback: [{ url: options.deadUrl! }, { runner }] };
  const workerScript = `${options.origin}${options.workerPath ?? '/worker.js'}`;
  const workerUrl = options.inlineWorker ? workerUrlFromSource(await (await fetch(workerScript)).text()) : workerScript;
  weightsProgress.length = 0;
  const { backends, wasmPaths, ortWasmBase, allowSoftwareGpu } = options;
  engine = createInPageEngine({ weights, workerUrl, backends, wasmPaths, ortWasmBase, allowSoftwareGpu, onWeightsProgress: (p) => weightsProgress.push(p) });
}

/** `ms`: from starting the worker to ready (backend started, weights loaded). */
async function prepare(): Promise<{ info: ReadyInfo; describe: string; weightsProgress: typeof weightsProgress; ms: number }> {
  const started = performance.now();
  const info = await engine!.prepare();
  const ms = performance.now() - started;
  log(`ready: ${engine!.describe()}; weights from ${info.weights.source} (${info.weights.cache}${info.weights.fromCache ? ', from the cache' : ''})`);
  return { info, describe: engine!.describe(), weightsProgress, ms };
}

async function paint(origin: string, evaluations: number, cancelOnFirstProgress = false): Promise<PaintOutcome> {
  const [content, style] = await Promise.all(['tubingen.jpg', 'starry_night.jpg'].map(async (name) => new Uint8Array(await (await fetch(`${origin}/images/${name}`)).arrayBuffer())));
  show('content', content);
  show('style', style);
  const progress: PaintOutcome['progress'] = [];
  const controller = new AbortController();
  let last = performance.now();
  let longestStallMs = 0;
  const started = performance.now();
  let firstEvaluationMs: number | undefined;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await engine!.stylize(
      {
        content: { bytes: content, mime: 'image/jpeg' },
        styles: [{ image: { bytes: style, mime: 'image/jpeg' }, weight: 1 }],
        options: { size: 32, evaluations, styleLayers: ['block1_conv2', 'block2_conv2'], contentLayers: ['block2_conv2'], seed: 1 },
        preview: { every: 1, maxSide: 16 },
      },
      {
        signal: controller.signal,
        onProgress: (p: BridgeProgress) => {
          firstEvaluationMs ??= performance.now() - started;
          progress.push({ totalEvaluation: p.totalEvaluation, preview: !!p.preview, loss: p.loss.total });
          if (p.preview) show('preview', p.preview.bytes);
          log(`evaluation ${p.totalEvaluation}/${p.totalEvaluations}, loss ${p.loss.total.toPrecision(4)}`);
          if (cancelOnFirstProgress) controller.abort();
        },
      },
    );
    show('result', result.png);
    const bitmap = await createImageBitmap(new Blob([result.png as BlobPart], { type: 'image/png' }));
    log(`done: ${result.width}×${result.height} on ${result.stats.backend} in ${Math.round(result.stats.elapsedMs)} ms`);
    return { ok: true, width: result.width, height: result.height, decoded: { width: bitmap.width, height: bitmap.height }, stats: result.stats, progress, longestStallMs, firstEvaluationMs };
  } catch (error) {
    log(`${(error as Error).name}: ${(error as Error).message}`);
    return { ok: false, error: { name: (error as Error).name, message: (error as Error).message }, progress, longestStallMs };
  } finally {
    clearInterval(ticker);
  }
}

/**
 * A run started `afterMs` into the engine's timing, as a designer clicks Stylize while a panel that just opened
 * times its engine: when the run and the timing ended, in ms from the timing's start, and the timing's waits for runs.
 */
async function paintWhileTiming(origin: string, timingOptions: StylizeOptions, afterMs: number) {
  const started = performance.now();
  const waiting: boolean[] = [];
  const timing = engine!.calibrate(timingOptions, (w) => waiting.push(w)).then((calibration) => ({ calibration, timedMs: performance.now() - started }));
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const painted = await paint(origin, 3);
  const paintedMs = performance.now() - started;
  return { painted, paintedMs, ...(await timing), waiting };
}

type PlainImage = { height: number; width: number; data: number[] };
export type PlainParityRequest = Omit<ParityRequest, 'content' | 'styles' | 'x'> & { content: PlainImage; styles: Array<{ image: PlainImage; weight: number }>; x: number[] };

/** One evaluation in the onnx-webgpu test worker (onnxParityWorker.ts); arrays cross as plain numbers. */
function evaluateOnnxWebGpu(request: PlainParityRequest): Promise<{ ok: true; device: string; terms: Record<string, number>; gradient: number[] } | { ok: false; message: string }> {
  const toImage = (i: PlainImage) => ({ ...i, data: Float32Array.from(i.data) });
  return new Promise((resolve) => {
    const worker = new Worker('/parity-worker.js');
    worker.onmessage = ({ data }: MessageEvent<ParityReply>) => {
      worker.terminate();
      resolve(data.ok ? { ...data, gradient: Array.from(data.gradient) } : data);
    };
    worker.onerror = (event) => resolve({ ok: false, message: event.message });
    worker.postMessage({ ...request, content: toImage(request.content), styles: request.styles.map((s) => ({ ...s, image: toImage(s.image) })), x: Float32Array.from(request.x) } satisfies ParityRequest);
  });
}

function dispose() {
  engine?.dispose();
  engine = undefined;
}

function show(slot: string, png: Uint8Array) {
  const img = document.getElementById(slot) as HTMLImageElement | null;
  if (img) img.src = URL.createObjectURL(new Blob([png as BlobPart]));
}

function log(line: string) {
  const pre = document.getElementById('log');
  if (pre) pre.textContent += `${line}\n`;
}

/** The engine timing itself (InPageEngine.calibrate), before or without prepare(). */
const calibrate = (options: StylizeOptions) => engine!.calibrate(options);

const harness = { start, prepare, calibrate, paint, paintWhileTiming, dispose, evaluateOnnxWebGpu };
export type Harness = typeof harness;
(globalThis as unknown as { harness: Harness }).harness = harness;
