import { abortError } from '../abortError.ts';
import { TERMINAL_EVENTS } from '../wire/jobSchemas.ts';
import type { BridgeJob, BridgeProgress, BridgeEngine, BridgeResult, StylizeCallOptions } from '../types.ts';
import { dataUrlToBytes } from './dataUrlToBytes.ts';
import { RunnerJobError, RunnerUnreachableError } from './errors.ts';
import type { RunnerClient } from './types.ts';

/**
 * How long the event stream may stay lost (a proxy, a laptop waking up, the runner restarting: it loads its
 * weights, then continues its jobs from its state directory) before the job is given up. Reconnects start
 * after RECONNECT_FIRST_DELAY_MS and wait twice as long each time, up to RECONNECT_MAX_DELAY_MS.
 */
const RECONNECT_WINDOW_MS = 120_000;
const RECONNECT_FIRST_DELAY_MS = 200;
const RECONNECT_MAX_DELAY_MS = 5000;

/** Paints on `pastiche serve`: submits the job, follows its event stream, fetches the PNG. */
export function createRunnerEngine(client: RunnerClient): BridgeEngine {
  const running = new Set<AbortController>();
  return {
    kind: 'runner',
    describe() {
      const health = client.lastHealth;
      return `on the runner at ${new URL(client.baseUrl).host}${health ? `, ${health.backend}${health.gpu ? ' (GPU)' : ''}` : ''}`;
    },
    async stylize(job, opts = {}) {
      const controller = new AbortController();
      const forward = () => controller.abort(opts.signal?.reason);
      opts.signal?.addEventListener('abort', forward, { once: true });
      if (opts.signal?.aborted) forward();
      running.add(controller);
      try {
        return await paintOnRunner(client, job, { onProgress: opts.onProgress, signal: controller.signal });
      } finally {
        opts.signal?.removeEventListener('abort', forward);
        running.delete(controller);
      }
    },
    dispose() {
      for (const controller of running) controller.abort(); // cancels each job on the runner too
    },
  };
}

async function paintOnRunner(client: RunnerClient, job: BridgeJob, { onProgress, signal }: StylizeCallOptions & { signal: AbortSignal }): Promise<BridgeResult> {
  if (signal.aborted) throw abortError(signal);
  const { id } = await client.submit(job, { signal });
  let finished = false;
  try {
    let latest: BridgeProgress | undefined;
    /** When the stream last said something, and how many tries have failed since. */
    let heardAt = Date.now();
    for (let drops = 0; drops === 0 || Date.now() - heardAt < RECONNECT_WINDOW_MS; drops++) {
      if (drops > 0) await pause(Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_FIRST_DELAY_MS * 2 ** (drops - 1)), signal);
      try {
        for await (const event of client.events(id, { signal })) {
          drops = 0;
          heardAt = Date.now();
          finished = TERMINAL_EVENTS.includes(event.type);
          switch (event.type) {
            case 'progress':
              latest = event.data;
              onProgress?.(latest);
              break;
            case 'preview':
              // Sent right after its progress event: the UI gets that progress again, with the picture.
              if (latest) onProgress?.({ ...latest, preview: dataUrlToBytes(event.data.image) });
              break;
            case 'done': {
              const png = await client.result(id, { signal });
              const { result, stats } = event.data;
              return {
                png,
                width: result.width,
                height: result.height,
                stats: { evaluations: stats.evaluations, elapsedMs: stats.elapsedMs, backend: stats.backend, engine: 'runner', seed: stats.seed },
              };
            }
            case 'failed':
              throw new RunnerJobError(`the runner could not paint this: ${event.data.error.message}`, event.data.error.code, event.data.error.field);
            case 'cancelled':
              throw new RunnerJobError(`the runner cancelled the job: ${event.data.reason}`, 'cancelled');
          }
        }
      } catch (error) {
        if (!(error instanceof RunnerUnreachableError)) throw error;
      }
    }
    throw new RunnerUnreachableError(`lost the runner at ${client.baseUrl} while it painted (no event stream for ${RECONNECT_WINDOW_MS / 1000} s)`);
  } catch (error) {
    throw signal.aborted ? abortError(signal) : error;
  } finally {
    // Cancelled, or given up on (a lost stream, a throwing onProgress): the runner stops at its next evaluation.
    if (!finished) void client.cancel(id).catch(() => {});
  }
}

/** Waits `ms`, or less if `signal` aborts (the next request then fails at once). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
