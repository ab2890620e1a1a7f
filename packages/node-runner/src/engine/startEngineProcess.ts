import { fork, type ChildProcess } from 'node:child_process';
import type { EngineHealth, JobError, JobPreview, JobProgress } from '@pastiche/web-bridge/wire';
import { isFromEngine, type EngineCheckpoint, type EngineJob, type EngineMemory, type EngineReady, type EngineSettings, type FromEngine, type Painted, type ToEngine } from './engineMessages.ts';
import { JobStopped } from './JobStopped.ts';
import { EXIT_FOR_RESTART } from './runEngineProcess.ts';
import { withMallocTuning } from './mallocTuning.ts';

export type EngineOutcome = { state: 'succeeded'; result: Painted } | { state: 'failed'; error: JobError } | { state: 'cancelled'; reason: string };

export interface EngineRunCallbacks {
  onProgress(progress: JobProgress): void;
  onPreview(preview: JobPreview): void;
  /** A checkpoint is in the run's checkpoint file (its writes are atomic: the file is always whole). */
  onCheckpoint?(written: { totalEvaluations: number }): void;
  /** The checkpoint to resume was refused (another version or engine, a damaged file): the run started afresh. */
  onResumeRefused?(reason: string): void;
}

export interface EngineRunLimits {
  /**
   * Aborting it with a JobStopped('cancel') cancels: a message, then a kill after the grace. With
   * JobStopped('keep'), the engine writes its last step to the checkpoint first, within KEEP_GRACE_MS.
   */
  signal: AbortSignal;
  /** Wall time from the moment the engine gets the job (a restart before it does not count); past it the engine is killed. */
  wallTimeMs: number;
  /** The job's error then (it names the limit as the user set it). */
  timeLimitMessage: string;
}

export interface EngineProcessOptions {
  settings: EngineSettings;
  /** How long a cancelled job may take to stop before its engine is killed. */
  cancelGraceMs: number;
  /** The module the engine process runs; tests give one that wraps the engine. Default: engineProcessMain. */
  entry?: URL;
  log(line: string): void;
}

/**
 * How long a job stopped to be continued later may take to write its last checkpoint: one at 4096 px takes about 9 s
 * here (docs/checkpoints.md). Past it the engine is killed and the job continues from its previous checkpoint.
 */
const KEEP_GRACE_MS = 30_000;

/** One engine process, kept alive: restarted after it dies, whatever it was doing. */
export interface EngineProcess {
  /** What the engine reported when it last became ready (backend, models and their layers). */
  readonly info: EngineReady;
  readonly busy: boolean;
  health(): EngineHealth;
  /**
   * Paints one job, checkpointing to `checkpoint.file` when given. Never throws: a crash is a failed engine_crashed
   * outcome, the time limit a failed time_limit one.
   */
  run(jobId: string, job: EngineJob, callbacks: EngineRunCallbacks, limits: EngineRunLimits, checkpoint?: EngineCheckpoint): Promise<EngineOutcome>;
  close(): Promise<void>;
}

const MAX_RESTART_DELAY_MS = 10_000;
const CLOSE_GRACE_MS = 5000;

/** The engine's entry next to this module: the TypeScript source under tsx, the bundle's sibling in dist/. */
const defaultEntry = () =>
  import.meta.url.endsWith('.ts') ? new URL('./engineProcessMain.ts', import.meta.url) : new URL('./engine-process.js', import.meta.url);

/**
 * Forks the engine process and resolves once it has loaded its backend and weights (rejects with its reason
 * if it cannot). From then on the process is supervised: if it exits, a running job fails alone (or ends as
 * the cancel or time limit that killed it), and a new process is started, after a delay that grows while
 * starts keep failing.
 */
export async function startEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  const entry = options.entry ?? defaultEntry();
  let child: ChildProcess | undefined;
  let state: EngineHealth['state'] = 'starting';
  let info: EngineReady | undefined;
  let memory: EngineMemory | null = null;
  let restarts = 0;
  let failedStarts = 0;
  let lastExit: string | null = null;
  let closing = false;
  let restartTimer: NodeJS.Timeout | undefined;
  // Settled by the process being started: jobs submitted meanwhile wait for it, or fail if it cannot start.
  let readiness = deferred();
  /** Set from the moment run() is called, before the job reaches the process, so that a pool never gives it two. */
  let taken = false;
  let job: { id: string; callbacks: EngineRunCallbacks; finish(outcome: EngineOutcome): void; stoppedBy?: JobStopped } | undefined;

  const send = (message: ToEngine) => child?.connected && child.send(message);

  const spawn = () => {
    state = restarts > 0 || failedStarts > 0 ? 'restarting' : 'starting';
    const proc = fork(entry, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: withMallocTuning(process.env),
      execArgv: entry.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
    });
    child = proc;
    const { resolve, reject } = readiness;
    proc.on('error', (error) => options.log(`engine ${proc.pid ?? '(not started)'}: ${error.message}`));
    proc.on('message', (message: unknown) => {
      if (!isFromEngine.Check(message)) {
        options.log(`engine ${proc.pid}: not a protocol message (${isFromEngine.Errors(message).First()?.message}); killing it`);
        proc.kill('SIGKILL');
        return;
      }
      if (message.type === 'ready') {
        info = message;
        memory = message.memory;
        state = 'idle';
        failedStarts = 0;
        resolve();
      } else if (message.type === 'loadFailed') {
        reject(new Error(message.message));
      } else {
        onJobMessage(message);
      }
    });
    proc.on('exit', (code, signal) => {
      reject(new Error(`the engine process ${describeExit(code, signal)} before it was ready`)); // no-op once ready
      onExit(proc, code, signal);
    });
    send({ type: 'load', settings: options.settings });
  };

  const onJobMessage = (message: Exclude<FromEngine, { type: 'ready' | 'loadFailed' }>) => {
    if (message.type === 'done' || message.type === 'failed' || message.type === 'cancelled') {
      memory = message.memory;
      const leaked = message.memory.numTensors - info!.memory.numTensors; // weights only: every job must leave exactly these
      if (leaked > 0) options.log(`warning: engine ${child?.pid}: ${leaked} tensor(s) still allocated with no job running`);
    }
    // It exits next: the next job must wait for the engine that replaces it.
    if (message.type === 'failed' && message.restart && readiness.settled) readiness = deferred();
    if (!job || message.jobId !== job.id) return; // a late message of a job already given up
    if (message.type === 'progress') job.callbacks.onProgress(message.progress);
    else if (message.type === 'preview') job.callbacks.onPreview(message.preview);
    else if (message.type === 'checkpoint') job.callbacks.onCheckpoint?.({ totalEvaluations: message.totalEvaluations });
    else if (message.type === 'resumeRefused') job.callbacks.onResumeRefused?.(message.reason);
    else if (message.type === 'done') job.finish({ state: 'succeeded', result: { png: message.png, width: message.width, height: message.height, stats: message.stats } });
    else if (message.type === 'failed') job.finish({ state: 'failed', error: message.error });
    else job.finish({ state: 'cancelled', reason: job.stoppedBy?.message ?? 'cancelled' });
  };

  const onExit = (proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    if (proc !== child) return;
    child = undefined;
    memory = null;
    // Closed with a job (a runner keeping its jobs for its next start): the job ends here, unfinished.
    if (closing) return job?.finish({ state: 'cancelled', reason: 'the engine process was closed' });
    const wasReady = state !== 'starting' && state !== 'restarting';
    if (readiness.settled) readiness = deferred();
    lastExit = code === EXIT_FOR_RESTART ? 'exited after a failed job to start afresh' : describeExit(code, signal);
    if (job) {
      const stoppedBy = job.stoppedBy;
      job.finish(
        stoppedBy?.why === 'cancel' || stoppedBy?.why === 'keep'
          ? { state: 'cancelled', reason: stoppedBy.message }
          : stoppedBy?.why === 'time_limit'
            ? { state: 'failed', error: { code: 'time_limit', message: stoppedBy.message } }
            : { state: 'failed', error: { code: 'engine_crashed', message: `the engine process ${lastExit} while painting this job; it was restarted and the next job runs` } },
      );
    }
    if (wasReady) restarts++;
    else failedStarts++;
    state = wasReady ? 'restarting' : 'failed';
    const delay = Math.min(MAX_RESTART_DELAY_MS, failedStarts === 0 ? 0 : 250 * 2 ** failedStarts);
    options.log(`engine ${proc.pid} ${lastExit}; starting another${delay ? ` in ${delay} ms` : ''}`);
    restartTimer = setTimeout(spawn, delay);
  };

  spawn();
  try {
    await readiness.promise;
  } catch (error) {
    closing = true;
    clearTimeout(restartTimer);
    child?.kill('SIGKILL');
    throw error;
  }

  const paint = async (
    jobId: string,
    engineJob: EngineJob,
    callbacks: EngineRunCallbacks,
    { signal, wallTimeMs, timeLimitMessage }: EngineRunLimits,
    checkpoint: EngineCheckpoint | undefined,
  ): Promise<EngineOutcome> => {
    // A job cancelled while its engine (re)starts ends then, not once the engine is ready.
    const cancelled = new Promise<'cancelled'>((resolve) => (signal.aborted ? resolve('cancelled') : signal.addEventListener('abort', () => resolve('cancelled'), { once: true })));
    try {
      await Promise.race([readiness.promise, cancelled]);
    } catch (error) {
      return { state: 'failed', error: { code: 'engine_crashed', message: `the engine could not be started: ${(error as Error).message}` } };
    }
    if (signal.aborted) return { state: 'cancelled', reason: (signal.reason as JobStopped).message };
    return new Promise<EngineOutcome>((resolve) => {
      let graceTimer: NodeJS.Timeout | undefined;
      const running = child;
      // A busy engine cannot be asked: it is killed, and its exit ends the job as time_limit.
      const wallTimer = setTimeout(() => {
        job!.stoppedBy = new JobStopped('time_limit', timeLimitMessage);
        running?.kill('SIGKILL');
      }, wallTimeMs);
      const onAbort = () => {
        const reason = signal.reason as JobStopped;
        job!.stoppedBy = reason;
        const keep = reason.why === 'keep' && checkpoint !== undefined;
        const graceMs = keep ? Math.max(KEEP_GRACE_MS, options.cancelGraceMs) : options.cancelGraceMs;
        send({ type: 'cancel', jobId, ...(keep && { keep }) });
        graceTimer = setTimeout(() => {
          if (job?.id !== jobId || running !== child) return;
          options.log(`engine ${running?.pid}: job ${jobId} did not stop within ${graceMs} ms of its cancel; killing the engine`);
          running?.kill('SIGKILL');
        }, graceMs);
      };
      job = {
        id: jobId,
        callbacks,
        finish: (outcome) => {
          clearTimeout(graceTimer);
          clearTimeout(wallTimer);
          signal.removeEventListener('abort', onAbort);
          job = undefined;
          resolve(outcome);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      send({ type: 'run', jobId, job: engineJob, ...(checkpoint && { checkpoint }) });
    });
  };

  return {
    get info() {
      return info!;
    },
    get busy() {
      return taken;
    },
    health: () => ({ state: state === 'idle' && job ? 'busy' : state, pid: child?.pid ?? null, restarts, lastExit, memory }),
    async run(jobId, engineJob, callbacks, limits, checkpoint) {
      taken = true;
      try {
        return await paint(jobId, engineJob, callbacks, limits, checkpoint);
      } finally {
        taken = false;
      }
    },
    async close() {
      closing = true;
      clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.disconnect(); // the engine exits when its channel closes
      const killer = setTimeout(() => running.kill('SIGKILL'), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

function deferred() {
  const d = { settled: false } as { promise: Promise<void>; resolve(): void; reject(error: Error): void; settled: boolean };
  d.promise = new Promise<void>((resolve, reject) => {
    d.resolve = () => ((d.settled = true), resolve());
    d.reject = (error) => ((d.settled = true), reject(error));
  });
  d.promise.catch(() => {}); // a failed start is reported by whoever waits, if anyone does
  return d;
}
