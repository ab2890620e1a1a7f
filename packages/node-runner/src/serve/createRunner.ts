import { mkdir, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isHardwareGpu, type VggModelName } from '@pastiche/core';
import packageJson from '../../package.json' with { type: 'json' };
import type { BackendInfo } from '../backend/selectBackend.ts';
import { jobImageFiles, type EngineJob } from '../engine/engineMessages.ts';
import { startEnginePool, type EnginePool } from '../engine/startEnginePool.ts';
import { connectPool, type PoolConnections } from '../pool/connectPool.ts';
import { createBlobStore } from '../pool/createBlobStore.ts';
import { createPoolJobQueue } from '../pool/createPoolJobQueue.ts';
import { readPoolPainters } from '../pool/readPoolPainters.ts';
import { parseQueueUrl } from '../pool/redisConnection.ts';
import { resolveWeightsSource } from '../weights/index.ts';
import { createHttpServer } from './http/createHttpServer.ts';
import { createMemoryJobQueue } from './jobs/createMemoryJobQueue.ts';
import type { JobQueue, ShutdownMode } from '../queue/JobQueue.ts';
import { runJob } from './jobs/runJob.ts';
import { createServedModel, type ServedModel } from './models/createServedModel.ts';
import { loadOrCreatePairingToken } from './pairingToken.ts';
import { createJobStore, type JobStore } from './state/createJobStore.ts';
import { lockStateDir } from './state/lockStateDir.ts';
import { createUploadSpool, UPLOAD_FOLDER_PREFIX } from './uploads/createUploadSpool.ts';
import { checkUserTokensFile, createTokenIdentifier } from './userTokens.ts';
import { resolveRunnerConfig, type RunnerConfig, type RunnerConfigInput } from './runnerConfig.ts';
import type { Painters } from '../queue/Painters.ts';
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
  /** The engine processes' backend; undefined with --queue (the pool's workers paint). */
  readonly backend?: BackendInfo;
  readonly models: VggModelName[];
  readonly config: RunnerConfig;
  /**
   * Stops accepting jobs, then (default: config.onShutdown) keeps the queued and running ones for the next start,
   * or cancels the queued ones and cancels or lets finish the running ones; then stops.
   */
  close(mode?: ShutdownMode): Promise<void>;
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
 * cache), starts --concurrency engine processes (each picks the backend and loads the weights) or, with
 * --queue, connects to the pool's Redis instead, and listens.
 * Everything slow or fallible happens here, before the first request. This process never paints: a crash or
 * a hang of an engine costs one job, not the server.
 */
export async function createRunner(input: RunnerConfigInput = {}, deps: RunnerDependencies = {}): Promise<Runner> {
  const config = resolveRunnerConfig(input);
  const log = deps.log ?? (() => {});
  const pairing = await loadOrCreatePairingToken(config.configDir);
  await checkUserTokensFile(config.configDir);

  const sources = await Promise.all(
    config.models.map(async (model) => [model, await resolveWeightsSource(model, config.weights, { onProgress: (received, total) => deps.onWeightsProgress?.(model, received, total) })] as const),
  );
  // The state directory is this runner's alone (the pool keeps its jobs in Redis); uploads arrive there too, so
  // that a queued job's images are moved into its folder, not copied.
  const state = config.queue ? undefined : await openStateDir(config.stateDir);
  const uploads = await createUploadSpool({ parentDir: config.spoolDir ?? state?.dir, budgetBytes: config.uploadBudgetMb * 2 ** 20 }).catch(async (error) => {
    await state?.release();
    throw error;
  });
  const discardInputs = (inputs: EngineJob) => uploads.discard(jobImageFiles(inputs));
  const painting = await (state ? startEngines(config, deps, state.store, discardInputs, log) : startPool(config, discardInputs, log)).catch(async (error) => {
    await uploads.close();
    await state?.release();
    throw error;
  });
  try {
    const servedModels = new Map<string, ServedModel>(sources.map(([model, source]) => [model, createServedModel(source)]));
    const ctx: RunnerContext = {
      config,
      version: packageJson.version,
      painters: painting.painters,
      models: config.models,
      servedModels,
      queue: painting.queue,
      uploads,
      eventStreams: new Set(),
      log,
    };
    const app = createHttpServer(ctx, createTokenIdentifier(config.configDir, pairing.token, log));
    await listen(app, config).catch(async (error) => {
      await app.close();
      throw error;
    });
    const port = (app.server.address() as AddressInfo).port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;

    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      port,
      version: packageJson.version,
      token: pairing.token,
      tokenFile: pairing.file,
      tokenCreated: pairing.created,
      backend: painting.backend,
      models: config.models,
      config,
      cancelRunning: () => painting.queue.abortRunning('the runner is shutting down'),
      close(mode = config.onShutdown) {
        closing ??= (async () => {
          await painting.queue.close(mode, config.shutdownGraceSeconds * 1000);
          for (const closeStream of [...ctx.eventStreams]) closeStream();
          await app.close();
          await painting.close();
          await uploads.close();
          await state?.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await painting.close();
    await uploads.close();
    await state?.release();
    throw error;
  }
}

interface Painting {
  queue: JobQueue;
  painters(): Promise<Painters>;
  backend?: BackendInfo;
  close(): Promise<void>;
}

/** The runner's state directory, locked for this process, with the jobs a previous run left in it. */
async function openStateDir(dir: string) {
  await mkdir(dir, { recursive: true });
  const release = await lockStateDir(dir);
  try {
    // Uploads a killed runner was receiving: no job took them.
    for (const name of await readdir(dir)) if (name.startsWith(UPLOAD_FOLDER_PREFIX)) await rm(path.join(dir, name), { recursive: true, force: true });
    return { dir, release, store: await createJobStore(dir) };
  } catch (error) {
    await release();
    throw error;
  }
}

/** The default: --concurrency engine processes on this machine, fed by the in-memory queue. */
async function startEngines(
  config: RunnerConfig,
  deps: RunnerDependencies,
  store: JobStore,
  discardInputs: (inputs: EngineJob) => Promise<void>,
  log: (line: string) => void,
): Promise<Painting> {
  const engines: EnginePool = await startEnginePool(config.concurrency, {
    settings: { backend: config.backend, models: config.models, weights: config.weights, maxSide: config.maxSide, maxPixels: config.maxPixels },
    cancelGraceMs: config.cancelGraceSeconds * 1000,
    entry: deps.engineEntry,
    log,
  });
  const queue = await createMemoryJobQueue({
    concurrency: config.concurrency,
    queueCap: config.queueCap,
    userQueueCap: config.userQueueCap,
    keepResultsMs: config.keepResultsMinutes * 60_000,
    retentionMs: config.retentionHours * 3_600_000,
    store,
    execute: async (job) => runJob(job, engines, config.maxJobSeconds, { file: store.checkpointFile(job.id), resume: await store.hasCheckpoint(job.id) }, log),
    releaseUpload: discardInputs,
    log,
  }).catch(async (error) => {
    await engines.close();
    throw error;
  });
  const { backend, backends, models, calibration } = engines.info;
  return {
    queue,
    backend,
    painters: async () => ({ backend: backend.name, device: backend.device, gpu: isHardwareGpu(backend), backends, models, calibration, engine: engines.health() }),
    close: () => engines.close(),
  };
}

/** --queue: no engine here; jobs go to BullMQ on Redis for the pool's `pastiche worker`s. Starts even while Redis is away. */
async function startPool(config: RunnerConfig, discardInputs: (inputs: EngineJob) => Promise<void>, log: (line: string) => void): Promise<Painting> {
  const connections: PoolConnections = connectPool(parseQueueUrl(config.queue!), 'server');
  await connections.ready(5000);
  const queue = createPoolJobQueue({
    connections,
    blobs: createBlobStore({ redis: connections.commands, dir: config.store, inlineMaxBytes: config.inlineMaxMb * 1024 * 1024 }),
    queueCap: config.queueCap,
    userQueueCap: config.userQueueCap,
    keepResultsMs: config.keepResultsMinutes * 60_000,
    maxJobSeconds: config.maxJobSeconds,
    attempts: config.attempts,
    cancelWaitMs: (config.cancelGraceSeconds + 10) * 1000,
    discardInputs,
    log,
  });
  return { queue, painters: () => readPoolPainters(connections), close: () => connections.close() };
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
