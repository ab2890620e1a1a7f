import type { BrowserBackendName, VggModelName } from '@pastiche/core';
import { createInPageEngine, type InPageEngine } from '../inPage/createInPageEngine.ts';
import { workerUrlFromSource } from '../inPage/workerUrlFromSource.ts';
import { createRunnerClient } from '../runner/createRunnerClient.ts';
import { createRunnerEngine } from '../runner/createRunnerEngine.ts';
import type { RunnerClient } from '../runner/types.ts';
import type { WeightsLocation } from '../inPage/WeightsLocation.ts';
import type { BridgeEngine } from '../types.ts';
import { DEFAULT_WEIGHTS_ORIGIN, defaultModelUrl } from '../weights/defaultWeights.ts';

export interface EngineProvider {
  /** The runner client for this address and token (the same one while they stay the same). */
  runnerClient(runnerUrl: string, token: string): RunnerClient;
  /**
   * The in-page engine (in the plugin's own page). It keeps its worker and weights between runs, so it is
   * only replaced when where the weights come from changes. Weights come from the runner when it is paired
   * (it serves its own), else from the weights URL in the advanced settings, else (and whenever those fail)
   * from the default weights package on its CDN.
   */
  inPageEngine(where: { model: VggModelName; runner?: RunnerClient; weightsUrl?: string }): InPageEngine;
  runnerEngine(client: RunnerClient): BridgeEngine;
  /** Where weight-loading progress goes (the run in progress sets it). */
  onWeightsProgress?: (progress: { loaded: number; total: number }) => void;
}

/**
 * `workerSource`: the in-page engine's worker bundle as text (each plugin's build provides it).
 * `wasmPaths`: where tfjs-backend-wasm finds its .wasm files: a folder, or file name → (data:) URL.
 * `backends`: the in-page engine's order (default DEFAULT_BACKENDS).
 */
export function createEngineProvider(workerSource: string, wasmPaths: string | Record<string, string>, backends?: BrowserBackendName[]): EngineProvider {
  let client: { key: string; value: RunnerClient } | undefined;
  let inPage: { key: string; value: InPageEngine } | undefined;
  let workerUrl: string | undefined;

  const provider: EngineProvider = {
    runnerClient(runnerUrl, token) {
      const key = `${runnerUrl}\n${token}`;
      if (client?.key !== key) client = { key, value: createRunnerClient({ baseUrl: runnerUrl, token: token || undefined }) };
      return client.value;
    },
    inPageEngine({ model, runner, weightsUrl }) {
      const sources: WeightsLocation[] = [];
      if (runner?.token) sources.push({ runner, model });
      if (weightsUrl) sources.push({ url: weightsUrl, model });
      sources.push({ url: defaultModelUrl(model), model, label: new URL(DEFAULT_WEIGHTS_ORIGIN).host });
      const key = JSON.stringify([model, runner?.baseUrl, runner?.token, weightsUrl]);
      if (inPage?.key !== key) {
        inPage?.value.dispose();
        workerUrl ??= workerUrlFromSource(workerSource);
        const value = createInPageEngine({
          weights: sources.length === 1 ? sources[0] : { fallback: sources },
          workerUrl,
          wasmPaths,
          backends,
          onWeightsProgress: (progress) => provider.onWeightsProgress?.(progress),
        });
        inPage = { key, value };
      }
      return inPage.value;
    },
    runnerEngine: (runnerClient) => createRunnerEngine(runnerClient),
  };
  return provider;
}
