// Whether a weights source can serve this page, asked of real local servers, and how each failure is told.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { explainWeightsProblem } from '../src/ui/explainWeightsProblem.ts';
import { checkWeightsSource } from '../src/weights/checkWeightsSource.ts';
import { defaultModelUrl } from '../src/weights/defaultWeights.ts';

const words = { here: 'the plugin', inPageChoice: 'In plugin', addStyle: 'select a layer' };

describe('checking a weights source before offering to paint in the page', () => {
  let server: Server;
  let base: string;
  const asked: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      asked.push(req.url!);
      if (req.url === '/ok/model.json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"weightsManifest":[]}');
      if (req.url === '/busy/model.json') return res.writeHead(503).end('Service Unavailable');
      res.writeHead(404).end('Not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('answers reachable, not found (404), or the HTTP error', async () => {
    assert.deepEqual(await checkWeightsSource(`${base}/ok/model.json`), { ok: true });
    assert.deepEqual(await checkWeightsSource(`${base}/missing/model.json`), { ok: false, problem: { kind: 'not-found', url: `${base}/missing/model.json` } });
    assert.deepEqual(await checkWeightsSource(`${base}/busy/model.json`), { ok: false, problem: { kind: 'http-error', url: `${base}/busy/model.json`, status: 503 } });
  });

  it('a host that does not answer is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/model.json`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    // Node's fetch refuses mode 'no-cors' as it refuses the connection: either way, nothing answered.
    assert.deepEqual(await checkWeightsSource(url), { ok: false, problem: { kind: 'unreachable', url } });
  });

  it('asks each URL once a session', async () => {
    const before = asked.filter((u) => u === '/ok/model.json').length;
    await Promise.all([checkWeightsSource(`${base}/ok/model.json`), checkWeightsSource(`${base}/ok/model.json`)]);
    assert.equal(asked.filter((u) => u === '/ok/model.json').length, before);
  });
});

describe('telling a weights problem', () => {
  it('the default package not published: says so, offers the runner and a weights URL, no connection advice', () => {
    const { message, hint } = explainWeightsProblem({ kind: 'not-found', url: defaultModelUrl('vgg16') }, words);
    assert.equal(message, 'The model weights are not published at cdn.jsdelivr.net yet (@pastiche/vgg-weights@1.0.0), so the plugin cannot paint by itself.');
    assert.equal(hint, 'Start the runner (`npx pastiche serve`) and pair the plugin: it serves the weights. Or set a weights URL in Advanced.');
    assert.doesNotMatch(`${message} ${hint}`, /connection/);
  });

  it('a URL of the user’s with nothing there points at the setting', () => {
    const { message, hint } = explainWeightsProblem({ kind: 'not-found', url: 'https://example.com/w/model.json' }, words);
    assert.equal(message, 'There are no model weights at https://example.com/w/model.json (HTTP 404).');
    assert.equal(hint, 'Check the weights URL in Advanced, or start the runner (`npx pastiche serve`) and pair the plugin: it serves the weights.');
  });

  it('only a host that did not answer gets connection advice; CORS and server errors say what they are', () => {
    const url = 'https://weights.example.org/vgg16/model.json';
    assert.match(explainWeightsProblem({ kind: 'unreachable', url }, words).hint, /^Check the connection to weights\.example\.org, or start the runner/);
    const blocked = explainWeightsProblem({ kind: 'blocked', url }, words);
    assert.match(blocked.message, /does not let the plugin read the model weights \(no CORS permission for it\)/);
    assert.doesNotMatch(blocked.hint, /connection/);
    assert.equal((blocked.hint.match(/weights URL/g) ?? []).length, 1, 'the weights URL offered once');
    assert.equal(explainWeightsProblem({ kind: 'http-error', url, status: 503 }, words).message, 'weights.example.org answered HTTP 503 when asked for the model weights.');
    assert.match(explainWeightsProblem({ kind: 'corrupt', url, detail: 'block1_conv1.bin failed its sha256 check' }, words).message, /not usable: block1_conv1\.bin failed its sha256 check/);
  });
});
