import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PasticheInputError } from '@pastiche/core';
import { loadOrCreatePairingToken, TOKEN_FILE_NAME } from '../../src/serve/pairingToken.ts';
import { defaultConfigDir, defaultStateDir, resolveRunnerConfig, RUNNER_DEFAULTS } from '../../src/serve/runnerConfig.ts';
import { json, startTestRunner } from './helpers/runner.ts';

const tempDir = () => mkdtemp(path.join(tmpdir(), 'pastiche-token-'));
const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe('pastiche serve: pairing token', () => {
  test('generated once with mode 0600, then reused', async () => {
    const dir = path.join(await tempDir(), 'nested', 'pastiche');
    const first = await loadOrCreatePairingToken(dir);
    assert.equal(first.created, true);
    assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(first.file, path.join(dir, TOKEN_FILE_NAME));
    assert.equal(await mode(first.file), 0o600);
    assert.equal((await readFile(first.file, 'utf8')).trim(), first.token);
    const second = await loadOrCreatePairingToken(dir);
    assert.deepEqual([second.token, second.created], [first.token, false]);
    assert.notEqual((await loadOrCreatePairingToken(await tempDir())).token, first.token);
  });

  test('a token file readable by others is tightened; a malformed one is replaced', async () => {
    const dir = await tempDir();
    const { token, file } = await loadOrCreatePairingToken(dir);
    await chmod(file, 0o644);
    assert.equal((await loadOrCreatePairingToken(dir)).token, token);
    assert.equal(await mode(file), 0o600);
    await writeFile(file, 'short\n');
    const replaced = await loadOrCreatePairingToken(dir);
    assert.equal(replaced.created, true);
    assert.notEqual(replaced.token, token);
    assert.equal(await mode(file), 0o600);
  });

  test('a restarted runner keeps the token, and the old token still works', async () => {
    const configDir = await tempDir();
    const first = await startTestRunner({ configDir });
    const token = first.token;
    await first.close();
    const second = await startTestRunner({ configDir });
    try {
      assert.equal(second.token, token);
      assert.equal(second.tokenCreated, false);
      assert.equal(await mode(second.tokenFile), 0o600);
      assert.equal((await second.api('/v1/jobs/none')).status, 404); // authorised: the job is just unknown
    } finally {
      await second.close();
    }
  });

  test('the config folder: $PASTICHE_CONFIG_DIR, else $XDG_CONFIG_HOME/pastiche, else ~/.config/pastiche', () => {
    assert.equal(defaultConfigDir({ PASTICHE_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/b' }), '/a');
    assert.equal(defaultConfigDir({ XDG_CONFIG_HOME: '/b' }), '/b/pastiche');
    assert.equal(defaultConfigDir({}), path.join(homedir(), '.config', 'pastiche'));
  });

  test('the state folder: $PASTICHE_STATE_DIR, else $XDG_DATA_HOME/pastiche/runner, else ~/.local/share/pastiche/runner', () => {
    assert.equal(defaultStateDir({ PASTICHE_STATE_DIR: '/a', XDG_DATA_HOME: '/b' }), '/a');
    assert.equal(defaultStateDir({ XDG_DATA_HOME: '/b' }), '/b/pastiche/runner');
    assert.equal(defaultStateDir({}), path.join(homedir(), '.local', 'share', 'pastiche', 'runner'));
    assert.equal(resolveRunnerConfig({ stateDir: 'rel' }, {}).stateDir, path.resolve('rel'));
  });
});

describe('pastiche serve: settings', () => {
  test('defaults in one place', () => {
    const config = resolveRunnerConfig({}, { PASTICHE_CONFIG_DIR: '/cfg' });
    assert.equal(config.port, 7878);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.concurrency, 1);
    assert.equal(config.queueCap, 8);
    assert.equal(config.keepResultsMinutes, 30);
    assert.equal(config.maxSide, 8192);
    assert.equal(config.maxStyles, 8);
    assert.equal(config.onShutdown, 'keep');
    assert.equal(config.retentionHours, 24);
    assert.equal(config.configDir, '/cfg');
    assert.deepEqual(config.models, RUNNER_DEFAULTS.models);
  });

  test('each bad setting is refused at the entry, named', () => {
    const refused = (input: object, field: string, message: RegExp) =>
      assert.throws(() => resolveRunnerConfig(input as never, {}), (e: unknown) => e instanceof PasticheInputError && e.field === field && message.test(e.message));
    refused({ queueCap: -1 }, 'config.queueCap', /expected an integer from 0 to 10000, got -1/);
    refused({ port: 70000 }, 'config.port', /from 0 to 65535/);
    refused({ concurrency: 1.5 }, 'config.concurrency', /an integer/);
    refused({ maxJobSeconds: NaN }, 'config.maxJobSeconds', /got NaN/);
    refused({ onShutdown: 'later' }, 'config.onShutdown', /one of keep, cancel, finish/);
    refused({ backend: 'webgl' }, 'config.backend', /one of auto, onnx-cuda/);
    refused({ queuecap: 3 }, 'config.queuecap', /unknown setting; known settings: port, host/);
    refused({ host: '0.0.0.0' }, 'config.host', /needs allowRemote \(--allow-remote\)/);
    refused({ allowOrigins: ['https://a.example/path'] }, 'config.allowOrigins[0]', /without a path/);
    refused({ allowOrigins: ['not a url'] }, 'config.allowOrigins[0]', /expected an origin/);
  });

  test('origins are normalised; loopback hosts need no flag; a remote host with --allow-remote passes', () => {
    assert.deepEqual(resolveRunnerConfig({ allowOrigins: ['HTTPS://Editor.Example.com:443/'] }, {}).allowOrigins, ['https://editor.example.com']);
    for (const host of ['localhost', '::1', '127.0.0.2']) assert.equal(resolveRunnerConfig({ host }, {}).host, host);
    assert.equal(resolveRunnerConfig({ host: '0.0.0.0', allowRemote: true }, {}).host, '0.0.0.0');
  });

  test('health reports the limits the runner was started with', async () => {
    const runner = await startTestRunner({ maxSide: 1024, maxStyles: 3, queueCap: 2, concurrency: 2 });
    try {
      const { limits } = await json(await runner.api('/v1/health'));
      assert.deepEqual([limits.maxSide, limits.maxStyles, limits.queueCap, limits.concurrency], [1024, 3, 2, 2]);
    } finally {
      await runner.close();
    }
  });
});
