import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { hasMallocTuning, withMallocTuning } from '../engine/mallocTuning.ts';

/**
 * Runs this very command again, in a child process started with glibc's malloc tuning (mallocTuning.ts),
 * when this one was not: `stylize` paints in its own process. Signals sent to this process are passed on;
 * resolves with the child's exit code, or undefined when no relaunch is needed.
 */
export async function relaunchWithMallocTuning(): Promise<number | undefined> {
  if (hasMallocTuning(process.env)) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: withMallocTuning(process.env) });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const relay = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of signals) process.on(signal, relay);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  for (const s of signals) process.off(s, relay);
  return code ?? 128 + (signal ? constants.signals[signal] : 0);
}
