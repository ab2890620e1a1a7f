import { probeRunner } from '../runner/probeRunner.ts';
import type { RunnerClient, RunnerStatus } from '../runner/types.ts';

/** Often enough that starting `pastiche serve` shows up while the user looks; health is a cheap local call. */
export const RUNNER_POLL_MS = 4000;

/**
 * Keeps the runner's status fresh: probes now, then every few seconds, one probe at a time. `refresh()`
 * probes at once (after the token or address changed, before a run) and resolves with the status.
 */
export function watchRunner(currentClient: () => RunnerClient, onStatus: (status: RunnerStatus) => void) {
  let inFlight: Promise<RunnerStatus> | undefined;
  let stale = false;
  const refresh = (): Promise<RunnerStatus> => {
    if (inFlight) {
      stale = true; // the answer on its way may be for an old address or token: ask again after it
      return inFlight.then(() => refresh());
    }
    stale = false;
    const client = currentClient();
    inFlight = probeRunner(client)
      .catch((error: unknown): RunnerStatus => ({ state: 'not-running', reason: String(error) }))
      .then((status) => {
        inFlight = undefined;
        if (!stale && client === currentClient()) onStatus(status);
        return status;
      });
    return inFlight;
  };
  void refresh();
  const timer = setInterval(() => void refresh(), RUNNER_POLL_MS);
  return { refresh, stop: () => clearInterval(timer) };
}
