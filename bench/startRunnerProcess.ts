import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NodeBackendName } from '@pastiche/core';
import { REAL_WEIGHTS_DIR, REPO_DIR } from './common.ts';

export interface RunnerProcess {
  url: string;
  port: number;
  token: string;
  /** Its config folder (pairing token, user-tokens.json): tokens added there work at once. */
  configDir: string;
  /** The server's process (the engine runs in children of it). */
  pid: number;
  stop(): Promise<void>;
}

/** `pastiche serve` in its own process on a free port, with a throwaway pairing token. */
export async function startRunnerProcess(backend: NodeBackendName | 'auto', extraArgs: string[] = []): Promise<RunnerProcess> {
  const configDir = await mkdtemp(path.join(tmpdir(), 'pastiche-bench-'));
  const cli = path.join(REPO_DIR, 'packages/node-runner/src/cli/main.ts');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'serve', '--port', '0', '--backend', backend, '--weights', REAL_WEIGHTS_DIR, '--quiet', ...extraArgs],
    { cwd: REPO_DIR, env: { ...process.env, PASTICHE_CONFIG_DIR: configDir, PASTICHE_STATE_DIR: path.join(configDir, 'state') }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const stopOnExit = () => child.kill('SIGTERM'); // a bench that dies must not leave its runner behind
  process.once('exit', stopOnExit);
  let stdout = '';
  const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const url = /listening on (\S+)/.exec(stdout)?.[1];
      const token = /pairing token: (\S+)/.exec(stdout)?.[1];
      if (url && token) resolve({ url, token });
    });
    exited.then((code) => reject(new Error(`pastiche serve exited with ${code} before listening: ${stdout}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    token,
    configDir,
    pid: child.pid!,
    async stop() {
      process.off('exit', stopOnExit);
      child.kill('SIGTERM');
      await exited;
    },
  };
}

