import type { EngineHealth } from '@pastiche/web-bridge/wire';
import type { EngineCheckpoint, EngineJob, EngineReady } from './engineMessages.ts';
import { startEngineProcess, type EngineOutcome, type EngineProcessOptions, type EngineRunCallbacks, type EngineRunLimits } from './startEngineProcess.ts';

/** `count` engine processes, one job each at a time: --concurrency N runs N jobs on N engines. */
export interface EnginePool {
  /** What the first engine reported when ready: backend, models and their layers. */
  readonly info: EngineReady;
  /** Runs a job on an idle engine; the caller never runs more jobs at once than there are engines. */
  run(jobId: string, job: EngineJob, callbacks: EngineRunCallbacks, limits: EngineRunLimits, checkpoint?: EngineCheckpoint): Promise<EngineOutcome>;
  health(): { restarts: number; processes: EngineHealth[] };
  close(): Promise<void>;
}

export async function startEnginePool(count: number, options: EngineProcessOptions): Promise<EnginePool> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startEngineProcess(options)));
  const engines = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await Promise.all(engines.map((e) => e.close()));
    throw failure.reason;
  }
  return {
    info: engines[0].info,
    run(jobId, job, callbacks, limits, checkpoint) {
      const engine = engines.find((e) => !e.busy);
      if (!engine) throw new Error(`internal error: job ${jobId} started with all ${count} engines busy`);
      return engine.run(jobId, job, callbacks, limits, checkpoint);
    },
    health() {
      const processes = engines.map((e) => e.health());
      return { restarts: processes.reduce((n, p) => n + p.restarts, 0), processes };
    },
    close: async () => void (await Promise.all(engines.map((e) => e.close()))),
  };
}
