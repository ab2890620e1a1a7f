import { RunnerError } from './errors.ts';
import type { RunnerClient, RunnerStatus } from './types.ts';

/**
 * Where the runner stands for this host: not running (nothing answers, or it refuses this page), not
 * paired (no token or a wrong one), busy (a new job would wait for a running one), or ready.
 */
export async function probeRunner(client: RunnerClient): Promise<RunnerStatus> {
  try {
    const health = await client.health();
    if (!(await client.checkToken())) return { state: 'not-paired', health };
    return health.queue.running >= health.limits.concurrency ? { state: 'busy', health } : { state: 'ready', health };
  } catch (error) {
    if (error instanceof RunnerError) return { state: 'not-running', reason: error.message };
    throw error;
  }
}
