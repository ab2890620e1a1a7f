import type { RunnerStatus } from '../runner/types.ts';

/** The user chose the runner and it cannot take the job: say why rather than paint somewhere else. */
export function runnerUnavailableError(runner: RunnerStatus, reason: string): Error {
  const error = new Error(reason);
  if (runner.state === 'not-running' || runner.state === 'unknown') error.name = 'RunnerUnreachableError';
  if (runner.state === 'not-paired') error.name = 'RunnerNotPairedError';
  return error;
}
