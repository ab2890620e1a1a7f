/**
 * What every browser host of Pastiche shares (the Figma plugin's UI, the Photopea plugin page): an engine
 * that paints in the page (a Web Worker: ONNX Runtime on a hardware WebGPU adapter, else WebGL, else
 * WebAssembly, else the CPU), a typed client of the
 * local runner (`pastiche serve`) and an engine on top of it, and the choice between the two.
 *
 * The in-page engine's worker is a separate script: build it with `buildWorkerBundle()` from
 * `@pastiche/web-bridge/build` (Node, esbuild) and either serve the file and pass its URL as `workerUrl`,
 * or inline the text and pass `workerUrlFromSource(text)` (a Blob URL; what single-file hosts do).
 *
 * The plugins' UIs share their panel pieces from `@pastiche/web-bridge/ui` (and its panel.css); the
 * Photopea plugin is a package of its own, packages/photopea-plugin.
 */
export type { BridgeJob, BridgeProgress, BridgeResult, BridgeEngine, EncodedImage, EngineKind, StylizeCallOptions } from './types.ts';
export type { WeightsLocation } from './inPage/WeightsLocation.ts';
export { chooseEngine, DEFAULT_IN_PAGE_MAX_SIDE, type EngineChoiceInput } from './chooseEngine.ts';
export { createInPageEngine, type InPageEngine, type InPageEngineConfig } from './inPage/createInPageEngine.ts';
export { InPageEngineError } from './inPage/InPageEngineError.ts';
export { workerUrlFromSource } from './inPage/workerUrlFromSource.ts';
export { DEFAULT_BACKENDS, TFJS_BACKENDS, type ReadyInfo, type WeightsInfo } from './inPage/protocol.ts';
export { ORT_WEB_BINARIES, ORT_WEB_ORIGIN } from './inPage/ortWebBinaries.ts';
export { createRunnerClient, DEFAULT_RUNNER_URL, type RunnerClientConfig } from './runner/createRunnerClient.ts';
export { createRunnerEngine } from './runner/createRunnerEngine.ts';
export { probeRunner } from './runner/probeRunner.ts';
export { parseEventStream, type ServerSentEvent } from './runner/parseEventStream.ts';
export { RunnerBusyError, RunnerError, RunnerJobError, RunnerNotPairedError, RunnerRequestError, RunnerServerError, RunnerUnreachableError } from './runner/errors.ts';
export type { RunnerClient, RunnerEvent, RunnerStatus } from './runner/types.ts';
export type { Health, JobAccepted, JobStatus } from './wire/index.ts';
export type { StylizeOptions } from '@pastiche/core';
