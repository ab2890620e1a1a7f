import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A real npm registry (Verdaccio) on 127.0.0.1, in its own process, with its config and storage in `dir`: no
 * uplinks, so it serves only what is published to it or seeded into `storage` before it starts (nothing comes
 * from the internet), and publishing needs a user, which `addUser` registers. `close` ends the process.
 */
export async function startLocalRegistry(dir: string, seed: (storage: string) => Promise<unknown>) {
  const storage = path.join(dir, 'storage');
  await mkdir(storage, { recursive: true });
  await seed(storage);
  const port = await freePort();
  const config = path.join(dir, 'config.yaml');
  await writeFile(
    config,
    `storage: ${JSON.stringify(storage)}
auth:
  htpasswd:
    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}
uplinks: {}
packages:
  '@*/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
# The weights package is about 30 MB; npm sends it base64-encoded in one request.
max_body_size: 200mb
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
`,
  );
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('verdaccio/package.json')), 'bin/verdaccio');
  const child: ChildProcess = fork(bin, ['--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  for (const started = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${output}`);
    const up = await fetch(`${url}-/ping`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() - started > 120_000) throw new Error(`verdaccio did not answer at ${url} in 2 minutes:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    output: () => output,
    /** Registers a user (as `npm adduser` does) and returns its token. */
    async addUser(name: string, password: string): Promise<string> {
      const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password, type: 'user', roles: [], date: new Date().toISOString() }),
      });
      const body = (await response.json()) as { token?: string };
      if (!response.ok || !body.token) throw new Error(`adding user ${name}: HTTP ${response.status} ${JSON.stringify(body)}`);
      return body.token;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
