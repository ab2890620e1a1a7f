// `pastiche serve` serves the Photopea panel itself and prints the Photopea address that opens it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtCli, startBuiltCli, type StartedCli } from '../helpers/builtCli.ts';
import { freePort } from '../helpers/freePort.ts';
import { weightsPath } from '../helpers/paths.ts';

describe('pastiche serve and Photopea', { timeout: 120_000 }, () => {
  let serve: StartedCli;
  let origin: string;

  before(async () => {
    assert.ok(existsSync(path.join(path.dirname(builtCli), 'photopea/plugin.html')), `build first (npm run build): ${builtCli} and the panel beside it`);
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const configDir = await mkdtemp(path.join(tmpdir(), 'pastiche-serve-photopea-'));
    serve = startBuiltCli(['serve', '--port', String(port), '--weights', weightsPath, '--backend', 'wasm', '--quiet'], { env: { PASTICHE_CONFIG_DIR: configDir, PASTICHE_STATE_DIR: path.join(configDir, 'state') } });
    const deadline = Date.now() + 60_000;
    while (!/Photopea with Pastiche: \S+\n/.test(serve.stdout())) {
      assert.ok(Date.now() < deadline && serve.child.exitCode === null, `pastiche serve did not start:\n${serve.stdout()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(() => serve?.child.kill('SIGTERM'));

  it('prints the Photopea address that opens the panel from this runner, which it names', () => {
    const url = new URL(/Photopea with Pastiche: (\S+)/.exec(serve.stdout())![1]);
    assert.equal(url.origin, 'https://www.photopea.com');
    const config = JSON.parse(decodeURIComponent(url.hash.slice(1)));
    const [plugin] = config.environment.plugins;
    assert.equal(plugin.name, 'Pastiche');
    assert.equal(plugin.url, `${origin}/photopea/plugin.html?runner=${encodeURIComponent(origin)}`);
    assert.equal(plugin.icon, `===${origin}/photopea/icon.svg`);
  });

  it('serves the panel without a token, and nothing outside it', async () => {
    const page = await fetch(`${origin}/photopea/plugin.html`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(await page.text(), /plugin\.js/);
    const script = await fetch(`${origin}/photopea/plugin.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type')!, /^text\/javascript/);
    for (const outside of ['/photopea/..%2f..%2fpackage.json', '/photopea/nothing.js', '/photopea/']) assert.equal((await fetch(`${origin}${outside}`)).status, 404, outside);
  });

  it('takes API calls from its own origin (the panel’s POSTs carry it), and still refuses other sites', async () => {
    const token = /pairing token: (\S+)/.exec(serve.stdout())![1];
    const asPanel = await fetch(`${origin}/v1/pairing`, { headers: { origin, authorization: `Bearer ${token}` } });
    assert.equal(asPanel.status, 204);
    assert.equal(asPanel.headers.get('access-control-allow-origin'), origin);
    const elsewhere = await fetch(`${origin}/v1/pairing`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` } });
    assert.equal(elsewhere.status, 403);
  });
});
