import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { json, readJobEvents, startTestRunner, type TestRunner } from './helpers/runner.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({ allowOrigins: ['https://editor.example.com'] });
});
after(() => runner?.close());

/** fetch cannot set Host; node:http can. */
function rawGet(port: number, route: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: route, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('pastiche serve: pairing token', () => {
  test('401 without a token, with a wrong one, and with a malformed header', async () => {
    const cases: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${runner.token}` }];
    for (const headers of cases) {
      const response = await runner.api('/v1/jobs/anything', { token: null, headers });
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="pastiche"');
      const body = await json(response);
      assert.match(body.error, /pairing token/);
    }
    assert.equal((await runner.submit({}, { token: 'wrong' })).status, 401);
    assert.equal((await runner.api('/v1/models/vgg16/model.json', { token: null })).status, 401);
  });

  test('GET /v1/pairing checks a token without touching any job: 204 with the right one, 401 otherwise', async () => {
    assert.equal((await runner.api('/v1/pairing')).status, 204);
    assert.equal((await runner.api('/v1/pairing', { token: 'wrong' })).status, 401);
    assert.equal((await runner.api('/v1/pairing', { token: null })).status, 401);
  });

  test('unknown routes need the token too (nothing is revealed without it)', async () => {
    assert.equal((await runner.api('/v1/nope', { token: null })).status, 401);
    assert.equal((await runner.api('/v1/nope')).status, 404);
  });

  test('?token= works on the events and result routes only', async () => {
    const { id } = await json(await runner.submit());
    assert.equal((await runner.api(`/v1/jobs/${id}?token=${runner.token}`, { token: null })).status, 401);
    await readJobEvents(runner, id, { viaQuery: true });
    assert.equal((await runner.api(`/v1/jobs/${id}/result?token=${runner.token}`, { token: null })).status, 200);
    assert.equal((await runner.api(`/v1/jobs/${id}/result?token=wrong`, { token: null })).status, 401);
  });
});

describe('pastiche serve: origins and CORS', () => {
  test('403 for a foreign Origin, even with the token and on health', async () => {
    for (const route of ['/v1/health', '/v1/jobs/x']) {
      const response = await runner.api(route, { headers: { origin: 'https://evil.example' } });
      assert.equal(response.status, 403, route);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.match((await json(response)).error, /Origin https:\/\/evil\.example may not use this runner/);
    }
  });

  test('Figma (Origin null), Photopea and --allow-origin origins get CORS headers', async () => {
    for (const origin of ['null', 'https://www.photopea.com', 'https://editor.example.com']) {
      const response = await runner.api('/v1/health', { headers: { origin } });
      assert.equal(response.status, 200, origin);
      assert.equal(response.headers.get('access-control-allow-origin'), origin);
      assert.match(response.headers.get('vary') ?? '', /Origin/);
    }
    const { id } = await json(await runner.submit({}, { headers: { origin: 'null' } }));
    const stream = await runner.api(`/v1/jobs/${id}/events`, { headers: { origin: 'null' } });
    assert.equal(stream.headers.get('access-control-allow-origin'), 'null', 'event streams carry CORS headers too');
    await stream.text();
    const unauthorised = await runner.api('/v1/jobs/x', { token: null, headers: { origin: 'null' } });
    assert.equal(unauthorised.status, 401);
    assert.equal(unauthorised.headers.get('access-control-allow-origin'), 'null', 'errors are readable by allowed pages');
  });

  test('preflight with Private Network Access from Photopea', async () => {
    const response = await runner.api('/v1/jobs', {
      method: 'OPTIONS',
      token: null,
      headers: {
        origin: 'https://www.photopea.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
        'access-control-request-private-network': 'true',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://www.photopea.com');
    assert.equal(response.headers.get('access-control-allow-private-network'), 'true');
    assert.match(response.headers.get('access-control-allow-methods')!, /POST/);
    assert.match(response.headers.get('access-control-allow-methods')!, /DELETE/);
    assert.match(response.headers.get('access-control-allow-headers')!, /Authorization/);
    assert.match(response.headers.get('access-control-allow-headers')!, /Content-Type/);
    assert.equal(response.headers.get('access-control-max-age'), '600');
  });

  test('preflight without the private-network request has no private-network grant; a foreign preflight is 403', async () => {
    const plain = await runner.api('/v1/jobs/x/events', { method: 'OPTIONS', token: null, headers: { origin: 'null', 'access-control-request-method': 'GET' } });
    assert.equal(plain.status, 204);
    assert.equal(plain.headers.get('access-control-allow-private-network'), null);
    const foreign = await runner.api('/v1/jobs', {
      method: 'OPTIONS',
      token: null,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' },
    });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-private-network'), null);
  });
});

describe('pastiche serve: Host header (DNS rebinding)', () => {
  test('only our loopback names with our port pass', async () => {
    const auth = { authorization: `Bearer ${runner.token}` };
    for (const host of [`127.0.0.1:${runner.port}`, `localhost:${runner.port}`, `[::1]:${runner.port}`, `LOCALHOST:${runner.port}`]) {
      assert.equal((await rawGet(runner.port, '/v1/health', { host, ...auth })).status, 200, host);
    }
    for (const host of [`evil.example:${runner.port}`, 'localhost', `127.0.0.1:${runner.port + 1}`, `attacker.localhost.evil:${runner.port}`]) {
      const { status, body } = await rawGet(runner.port, '/v1/health', { host, ...auth });
      assert.equal(status, 403, host);
      assert.match(JSON.parse(body).error, /DNS rebinding/);
    }
  });
});
