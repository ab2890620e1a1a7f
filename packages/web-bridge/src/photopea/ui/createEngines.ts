import type { VggModelName } from '@pastiche/core';
import { createInPageEngine, type InPageEngine } from '../../inPage/createInPageEngine.ts';
import { workerUrlFromSource } from '../../inPage/workerUrlFromSource.ts';
import { createRunnerClient } from '../../runner/createRunnerClient.ts';
import { createRunnerEngine } from '../../runner/createRunnerEngine.ts';
import type { RunnerClient } from '../../runner/types.ts';
import type { Engine, WeightsLocation } from '../../types.ts';
import workerSource from 'pastiche:photopea-engine-worker';

export interface Engines {
  /** The runner client for this address and token (the same one while they stay the same). */
  runnerClient(runnerUrl: string, token: string): RunnerClient;
  /**
   * The in-panel engine; it keeps its worker and weights between runs and is replaced only when where the
   * weights come from changes: the runner when it is paired (it serves its own), else the weights URL.
   */
  inPageEngine(where: { model: VggModelName; runner?: RunnerClient; weightsUrl?: string }): InPageEngine | undefined;
  runnerEngine(client: RunnerClient): Engine;
  /** Where weight-loading progress goes (the run in progress sets it). */
  onWeightsProgress?: (progress: { loaded: number; total: number }) => void;
}

/** `wasmPaths`: the folder with tfjs-backend-wasm's .wasm files (the page ships them in wasm/). */
export function createEngines(wasmPaths: string): Engines {
  let client: { key: string; value: RunnerClient } | undefined;
  let inPage: { key: string; value: InPageEngine } | undefined;
  let workerUrl: string | undefined;
  const engines: Engines = {
    runnerClient(runnerUrl, token) {
      const key = `${runnerUrl}\n${token}`;
      if (client?.key !== key) client = { key, value: createRunnerClient({ baseUrl: runnerUrl, token: token || undefined }) };
      return client.value;
    },
    inPageEngine({ model, runner, weightsUrl }) {
      const sources: WeightsLocation[] = [];
      if (runner?.token) sources.push({ runner, model });
      if (weightsUrl) sources.push({ url: weightsUrl, model });
      if (sources.length === 0) return undefined;
      const key = JSON.stringify([model, runner?.baseUrl, runner?.token, weightsUrl]);
      if (inPage?.key !== key) {
        inPage?.value.dispose();
        workerUrl ??= workerUrlFromSource(workerSource);
        const value = createInPageEngine({
          weights: sources.length === 1 ? sources[0] : { fallback: sources },
          workerUrl,
          wasmPaths,
          onWeightsProgress: (progress) => engines.onWeightsProgress?.(progress),
        });
        inPage = { key, value };
      }
      return inPage.value;
    },
    runnerEngine: (runnerClient) => createRunnerEngine(runnerClient),
  };
  return engines;
}
