// The command line as `npm run build` makes it and a user starts it: node dist/pastiche.js, one process a run.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, weightsPath } from './paths.ts';

export const builtCli = path.join(repoRoot, 'packages/node-runner/dist/pastiche.js');

/** Fails the suite with how to fix it, rather than with each run's missing-module error. */
export function assertCliBuilt(): void {
  assert.ok(existsSync(builtCli), `build the CLI first (npm run build): ${builtCli} is missing`);
}

export interface CliExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Default: the repository's root. */
  cwd?: string;
  /** PASTICHE_WEIGHTS for the run; default: the shared blocks 1–3 weights. */
  weights?: string;
  /** More environment, over this process's (a variable set to undefined is left out). */
  env?: NodeJS.ProcessEnv;
  /** Node's own flags, before the script (a `-r` preload). */
  nodeArgs?: string[];
  /** SIGTERM the CLI once its stderr matches: once, since a second signal after the run stopped would end the process before it exits on its own. */
  stopWhen?: RegExp;
}

export interface StartedCli {
  child: ChildProcess;
  exited: Promise<CliExit>;
  /** What it has printed so far. */
  stdout(): string;
  stderr(): string;
}

export function startBuiltCli(args: string[], { cwd = repoRoot, weights = weightsPath, env = {}, nodeArgs = [], stopWhen }: CliOptions = {}): StartedCli {
  const child = spawn(process.execPath, [...nodeArgs, builtCli, ...args], { cwd, env: { ...process.env, PASTICHE_WEIGHTS: weights, ...env } });
  let [stdout, stderr, stopped] = ['', '', false];
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (!stopped && stopWhen?.test(stderr)) stopped = child.kill('SIGTERM');
  });
  const exited = new Promise<CliExit>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the built CLI to its end. */
export const runBuiltCli = (args: string[], options?: CliOptions): Promise<CliExit> => startBuiltCli(args, options).exited;
