import { classifyEngineError } from './classifyEngineError.ts';
import { JobStopped } from './JobStopped.ts';
import { isToEngine, type EngineCheckpoint, type EngineJob, type FromEngine } from './engineMessages.ts';
import { createCoreEngine, type CoreEngine, type CoreEngineDependencies } from './createCoreEngine.ts';

/** Exit code of an engine that replaces itself after a failed job (its backend is not to be trusted). */
export const EXIT_FOR_RESTART = 75;
/** Exit code of an engine given a message outside the protocol. */
const EXIT_PROTOCOL_ERROR = 70;

/**
 * The engine process's side of engineMessages.ts: loads the engine when told, paints one job at a time,
 * reports progress, and exits when its server goes away (IPC disconnect) or after a job that may have broken
 * its backend. Anything thrown outside a job (a native crash, an unhandled rejection) ends the process, which
 * its server sees and answers with a restart.
 */
export function runEngineProcess(deps: CoreEngineDependencies = {}): void {
  const channel = process.send?.bind(process);
  if (!channel) throw new Error('the engine process is started by pastiche serve (child_process.fork with an IPC channel)');
  const send = (message: FromEngine) => new Promise<void>((resolve) => channel(message, undefined, {}, () => resolve()));
  let engine: CoreEngine | undefined;
  let running: { jobId: string; controller: AbortController } | undefined;

  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: unknown) => {
    if (!isToEngine.Check(message)) {
      process.stderr.write(`engine: not a protocol message: ${JSON.stringify(isToEngine.Errors(message).First()?.path)}\n`);
      process.exit(EXIT_PROTOCOL_ERROR);
    }
    if (message.type === 'load') {
      createCoreEngine(message.settings, deps).then(
        (loaded) => {
          engine = loaded;
          void send({ type: 'ready', backend: loaded.backend, models: loaded.models, backends: loaded.backends, ...(loaded.calibration && { calibration: loaded.calibration }), memory: loaded.memory() });
        },
        async (error) => {
          await send({ type: 'loadFailed', message: String((error as Error)?.message ?? error) });
          process.exit(1);
        },
      );
    } else if (message.type === 'run') {
      if (!engine || running) {
        process.stderr.write(`engine: job ${message.jobId} sent while ${engine ? 'busy' : 'not loaded'}\n`);
        process.exit(EXIT_PROTOCOL_ERROR);
      }
      running = { jobId: message.jobId, controller: new AbortController() };
      void paint(engine, message.jobId, message.job, message.checkpoint, running.controller.signal);
    } else if (running?.jobId === message.jobId) {
      running.controller.abort(new JobStopped(message.keep ? 'keep' : 'cancel', 'stopped by its server'));
    }
  });

  /** Never throws; the engine is idle again (`running` cleared) before its server hears the job's end. */
  async function paint(engine: CoreEngine, jobId: string, job: EngineJob, checkpoint: EngineCheckpoint | undefined, signal: AbortSignal) {
    const ended = (message: Extract<FromEngine, { type: 'done' | 'failed' | 'cancelled' }>) => {
      running = undefined;
      return send(message);
    };
    try {
      const painted = await engine.paint(job, {
        signal,
        onProgress: (progress) => void send({ type: 'progress', jobId, progress }),
        onPreview: (preview) => void send({ type: 'preview', jobId, preview }),
        checkpoint,
        onCheckpoint: ({ totalEvaluations }) => void send({ type: 'checkpoint', jobId, totalEvaluations }),
        onResumeRefused: (reason) => void send({ type: 'resumeRefused', jobId, reason }),
      });
      await ended({ type: 'done', jobId, memory: engine.memory(), ...painted });
    } catch (thrown) {
      if (signal.aborted) {
        await ended({ type: 'cancelled', jobId, memory: engine.memory() });
      } else {
        const { error, restart } = classifyEngineError(thrown);
        await ended({ type: 'failed', jobId, memory: engine.memory(), error, restart });
        if (restart) process.exit(EXIT_FOR_RESTART);
      }
    }
  }
}
