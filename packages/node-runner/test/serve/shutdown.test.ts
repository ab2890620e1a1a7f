import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { health, json, readJobEvents, SHALLOW, startTestRunner, untilRunning, type TestRunner } from './helpers/runner.ts';
import { weightsPath } from '../helpers/paths.ts';

const cli = path.resolve(import.meta.dirname, '../../src/cli/main.ts');

describe('pastiche serve: graceful shutdown', () => {
  test('cancel: running and queued jobs are cancelled, streams end, the engine process exits', async () => {
    const runner = await startTestRunner({ onShutdown: 'cancel' });
    const { pid } = (await health(runner)).engine.processes[0];
    const running = await json(await runner.submit({ options: { ...SHALLOW, size: 64, evaluations: 1000 } }));
    const queued = await json(await runner.submit());
    await untilRunning(runner, running.id);
    // Streams connected (their first event in) before the close; read to their end after it.
    const streams = [running.id, queued.id].map((id) => {
      let connected!: () => void;
      const ready = new Promise<void>((resolve) => (connected = resolve));
      return { ready, events: readJobEvents(runner, id, { onEvent: () => connected() }) };
    });
    await Promise.all(streams.map((s) => s.ready));
    await runner.close();
    for (const stream of streams) {
      const last = (await stream.events).events.at(-1)!;
      assert.deepEqual([last.event, last.data.reason], ['cancelled', 'the runner is shutting down']);
    }
    await assert.rejects(fetch(`${runner.url}/v1/health`));
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the engine process is gone');
  });

  test('finish: no new jobs (503), queued ones cancelled, the running one finishes and its result can be fetched', async () => {
    // A grace no test would wait out: closing ends only because the result was fetched.
    const runner = await startTestRunner({ onShutdown: 'finish', shutdownGraceSeconds: 3600 });
    const running = await json(await runner.submit({ options: { ...SHALLOW, evaluations: 25 } }));
    const queued = await json(await runner.submit());
    await untilRunning(runner, running.id);
    const runningStream = readJobEvents(runner, running.id);
    const closing = runner.close();
    const refused = await runner.submit();
    assert.equal(refused.status, 503);
    assert.match((await json(refused)).error, /shutting down/);
    assert.equal((await json(await runner.api(`/v1/jobs/${queued.id}`))).status, 'cancelled');
    assert.equal((await runningStream).events.at(-1)!.event, 'done');
    assert.equal((await runner.api(`/v1/jobs/${running.id}/result`)).status, 200);
    await closing;
  });
});

describe('pastiche serve: the command', () => {
  function serve(args: string[], env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const printed = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout);
          if (match) resolve(match);
        };
        child.stdout.on('data', check);
        exited.then(() => reject(new Error(`exited before printing ${pattern}: ${stdout}\n${stderr}`)));
        check();
      });
    return { child, exited, printed, output: () => ({ stdout, stderr }) };
  }

  test('prints backend, address and token; serves; exits 0 on SIGTERM', async () => {
    const configDir = await mkdtemp(path.join(tmpdir(), 'pastiche-serve-cli-'));
    const run = serve(['--port', '0', '--backend', 'wasm', '--weights', weightsPath], { PASTICHE_CONFIG_DIR: configDir, PASTICHE_STATE_DIR: path.join(configDir, 'state') });
    const [, url] = await run.printed(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    const [, token] = await run.printed(/pairing token: (\S+)\n/);
    assert.match(run.output().stdout, /^backend: wasm/m);
    assert.match(run.output().stdout, /^models: vgg16$/m);
    assert.equal((await readFile(path.join(configDir, 'runner-token'), 'utf8')).trim(), token);
    const health = await (await fetch(`${url}/v1/health`)).json();
    assert.equal(health.backend, 'wasm');
    assert.equal((await fetch(`${url}/v1/jobs/x`, { headers: { authorization: `Bearer ${token}` } })).status, 404);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0, run.output().stderr);
    assert.match(run.output().stderr, /SIGTERM: shutting down/);
  });

  test('bad flags exit 2 naming the flag; a remote --host needs --allow-remote; --help documents the default port', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--host', '0.0.0.0'], /--host: 0\.0\.0\.0 is not a loopback address.*--allow-remote/],
      [['--queue-cap=-1'], /--queue-cap: expected an integer from 0 to 10000, got -1/],
      [['--port', 'abc'], /--port: expected a number, got "abc"/],
      [['--allow-origin', 'https://x.example/path'], /--allow-origin: expected an http\(s\) origin without a path/],
      [['--bogus'], /Unknown option '--bogus'/],
    ];
    const help = serve(['--help'], {});
    const configDir = await mkdtemp(path.join(tmpdir(), 'pastiche-serve-cli-'));
    const runs = cases.map(([args]) => serve(args, { PASTICHE_CONFIG_DIR: configDir, PASTICHE_STATE_DIR: path.join(configDir, 'state') }));
    for (const [i, [args, message]] of cases.entries()) {
      assert.equal(await runs[i].exited, 2, args.join(' '));
      assert.match(runs[i].output().stderr, message);
    }
    assert.equal(await help.exited, 0);
    assert.match(help.output().stdout, /--port N\s+TCP port \(default 7878/);
  });
});
