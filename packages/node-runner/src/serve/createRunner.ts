import type { AddressInfo } from 'node:net';
import type { VggModelName } from '@pastiche/core';
import packageJson from '../../package.json' with { type: 'json' };
import type { BackendInfo } from '../backend/selectBackend.ts';
import { startEnginePool } from '../engine/startEnginePool.ts';
import { resolveWeightsSource } from '../weights/index.ts';
import { createHttpServer } from './http/createHttpServer.ts';
import { createJobQueue } from './jobs/createJobQueue.ts';
import { runJob } from './jobs/runJob.ts';
import { createServedModel, type ServedModel } from './models/createServedModel.ts';
import { loadOrCreatePairingToken } from './pairingToken.ts';
import { resolveRunnerConfig, type RunnerConfig, type RunnerConfigInput } from './runnerConfig.ts';
import type { RunnerContext } from './RunnerContext.ts';

export interface Runner {
  /** `http://127.0.0.1:7878` */
  readonly url: string;
  readonly port: number;
  readonly version: string;
  readonly token: string;
  readonly tokenFile: string;
  /** True when this start generated the token (editors must pair again). */
  readonly tokenCreated: boolean;
  readonly backend: BackendInfo;
  readonly models: VggModelName[];
  readonly config: RunnerConfig;
  /** Stops accepting jobs, cancels queued ones, cancels or lets finish (default: config.onShutdown) the running ones, then stops. */
  close(mode?: 'cancel' | 'finish'): Promise<void>;
  /** Cancels the jobs a 'finish' close is waiting for (a second Ctrl-C). */
  cancelRunning(): void;
}

export interface RunnerDependencies {
  /** The module the engine processes run (default: engine/engineProcessMain); tests give one that makes jobs fail on purpose. */
  engineEntry?: URL;
  /** One line per job event and warning; default silent. */
  log?(line: string): void;
  onWeightsProgress?(model: VggModelName, received: number, total?: number): void;
}

/**
 * Starts `pastiche serve`: checks the settings, loads the pairing token, fetches the weights (once, into the
 * cache), starts --concurrency engine processes (each picks the backend and loads the weights), and listens.
 * Everything slow or fallible happens here, before the first request. This process never paints: a crash or
 * a hang of an engine costs one job, not the server.
 */
export async function createRunner(input: RunnerConfigInput = {}, deps: RunnerDependencies = {}): Promise<Runner> {
  const config = resolveRunnerConfig(input);
  const log = deps.log ?? (() => {});
  const pairing = await loadOrCreatePairingToken(config.configDir);

  const sources = await Promise.all(
    config.models.map(async (model) => [model, await resolveWeightsSource(model, config.weights, { onProgress: (received, total) => deps.onWeightsProgress?.(model, received, total) })] as const),
  );
  const engines = await startEnginePool(config.concurrency, {
    settings: { backend: config.backend, models: config.models, weights: config.weights, maxSide: config.maxSide, maxPixels: config.maxPixels },
    cancelGraceMs: config.cancelGraceSeconds * 1000,
    entry: deps.engineEntry,
    log,
  });
  try {
    const queue = createJobQueue({
      concurrency: config.concurrency,
      queueCap: config.queueCap,
      keepResultsMs: config.keepResultsMinutes * 60_000,
      execute: (job) => runJob(job, engines, config.maxJobSeconds),
      log,
    });
    const servedModels = new Map<string, ServedModel>(sources.map(([model, source]) => [model, createServedModel(source)]));
    const backend = engines.info.backend;
    const ctx: RunnerContext = { config, version: packageJson.version, backend, engines, models: config.models, servedModels, queue, eventStreams: new Set(), log };
    const app = createHttpServer(ctx, pairing.token);
    await listen(app, config).catch(async (error) => {
      await app.close();
      throw error;
    });
    const port = (app.server.address() as AddressInfo).port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;

    let closing: Promise<void> | undefined;
    const graceMs = config.shutdownGraceSeconds * 1000;
    return {
      url: `http://${host}:${port}`,
      port,
      version: packageJson.version,
      token: pairing.token,
      tokenFile: pairing.file,
      tokenCreated: pairing.created,
      backend,
      models: config.models,
      config,
      cancelRunning: () => queue.abortRunning('the runner is shutting down'),
      close(mode = config.onShutdown) {
        closing ??= (async () => {
          const drained = await queue.close(mode);
          if (mode === 'finish') await untilFetched(drained.filter((j) => j.state === 'succeeded'), graceMs);
          for (const closeStream of [...ctx.eventStreams]) closeStream();
          await app.close();
          await engines.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await engines.close();
    throw error;
  }
}

async function listen(app: ReturnType<typeof createHttpServer>, config: RunnerConfig) {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${config.port} on ${config.host} is in use (another pastiche serve?); pick another with --port`);
    if (code === 'EADDRNOTAVAIL') throw new Error(`cannot bind to ${config.host}: not an address of this machine (--host)`);
    throw error;
  }
}

/** With --on-shutdown finish, results finished during the drain stay fetchable until fetched or the grace ends. */
async function untilFetched(jobs: Array<{ resultFetched: boolean }>, graceMs: number) {
  const deadline = Date.now() + graceMs;
  while (jobs.some((j) => !j.resultFetched) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
