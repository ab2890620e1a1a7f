import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_WEIGHTS_ORIGIN, DEFAULT_WEIGHTS_PACKAGE } from '@pastiche/web-bridge/weights';

/**
 * A stand-in for jsDelivr, to which the browser resolves the real default weights host (Chromium's
 * --host-resolver-rules, a self-signed certificate): it serves a weights package folder under
 * /npm/<name>@<version>/ the way jsDelivr answers, with `Access-Control-Allow-Origin: *` and a year's
 * immutable caching, at a limited rate; `down` makes every request a 503, `unpublished` a 404 (the package not
 * published yet), `noCors` drops the CORS header. It counts the bytes it sent.
 */
export async function serveWeightsCdn(packageDir: string, { bitsPerSecond }: { bitsPerSecond: number }) {
  const certDir = await mkdtemp(path.join(tmpdir(), 'pastiche-cdn-cert-'));
  const host = new URL(DEFAULT_WEIGHTS_ORIGIN).host;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${host}`, '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem')], { stdio: 'pipe' });
  const prefix = `/npm/${DEFAULT_WEIGHTS_PACKAGE.name}@${DEFAULT_WEIGHTS_PACKAGE.version}/`;
  const state = { down: false, unpublished: false, noCors: false, bytesSent: 0, requests: [] as string[] };
  const server = createServer({ key: await readFile(path.join(certDir, 'key.pem')), cert: await readFile(path.join(certDir, 'cert.pem')) }, async (req, res) => {
    const url = new URL(req.url!, DEFAULT_WEIGHTS_ORIGIN);
    state.requests.push(url.pathname);
    const cors = state.noCors ? {} : { 'access-control-allow-origin': '*', 'timing-allow-origin': '*' };
    if (state.down) return res.writeHead(503, { ...cors, 'content-type': 'text/plain' }).end('Service Unavailable');
    if (state.unpublished) return res.writeHead(404, { ...cors, 'content-type': 'text/plain' }).end(`Couldn't find the requested file.`);
    let body: Buffer;
    try {
      if (!url.pathname.startsWith(prefix) || url.pathname.includes('..')) throw new Error('outside the package');
      body = await readFile(path.join(packageDir, decodeURIComponent(url.pathname.slice(prefix.length))));
    } catch {
      return res.writeHead(404, { ...cors, 'content-type': 'text/plain' }).end(`Couldn't find the requested file.`);
    }
    res.writeHead(200, {
      ...cors,
      'content-type': url.pathname.endsWith('.json') ? 'application/json; charset=utf-8' : 'application/octet-stream',
      'content-length': body.byteLength,
      'cache-control': 'public, max-age=31536000, s-maxage=31536000, immutable',
    });
    // The rate limit: 16 KiB slices, each when the budget of bits allows.
    const slice = 16 * 1024;
    const started = performance.now();
    for (let sent = 0; sent < body.byteLength; sent += slice) {
      const due = started + ((sent * 8) / bitsPerSecond) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!res.write(body.subarray(sent, sent + slice))) await new Promise((r) => res.once('drain', r));
      state.bytesSent += Math.min(slice, body.byteLength - sent);
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    state,
    /** Chromium flags that send the real host's requests here and accept the self-signed certificate. */
    chromiumArgs: [`--host-resolver-rules=MAP ${host}:443 127.0.0.1:${port}`, '--ignore-certificate-errors'],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(certDir, { recursive: true, force: true });
    },
  };
}
