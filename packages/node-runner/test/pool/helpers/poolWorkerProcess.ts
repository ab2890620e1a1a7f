import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { weightsPath } from '../../helpers/paths.ts';

const MAIN = path.resolve(import.meta.dirname, '../../../src/cli/main.ts');

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM (finish, then exit) and wait for the exit. */
  stop(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * A real `pastiche worker` process (the CLI under tsx), on wasm (or `backend`) with the blocks 1–3 weights, with
 * short locks so that a killed worker's job goes back in line within about 2 s. Resolves once it says it is ready.
 */
export async function startWorkerProcess(queueUrl: string, name: string, extra: string[] = [], backend = 'wasm'): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, 'worker', '--queue', queueUrl, '--name', name, '--backend', backend, '--weights', weightsPath, '--lock-seconds', '2', '--stalled-check-seconds', '0.5', '--cancel-grace-seconds', '2', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${name} not ready in 120 s:\n${out}`)), 120_000);
    const check = () => {
      if (out.includes('Ctrl-C stops')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${name} exited with code ${code}:\n${out}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { name, child, output: () => out, stop: () => kill('SIGTERM'), kill };
}
