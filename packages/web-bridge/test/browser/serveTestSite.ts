import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface TestSite {
  origin: string;
  /** Every request: its path and whether it carried the right token. */
  requests: Array<{ path: string; authorized: boolean }>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.jpg': 'image/jpeg', '.bin': 'application/octet-stream', '.wasm': 'application/wasm' };

/**
 * The browser test's server on 127.0.0.1:0: the page and the bundles, the example images, the wasm
 * backend's binaries (under /wasm/), onnxruntime-web's (under /ort/, standing in for jsDelivr), and the real
 * weights (read from `modelDir` at request time) twice: at a plain URL, and where the runner serves them,
 * behind its token. Every reply allows any origin, as the runner allows Figma's opaque one.
 */
export async function serveTestSite(files: { pages: Record<string, string>; scripts: Record<string, string>; modelDir: string; imageDir: string; wasmDir: string; ortDir?: string; token: string }): Promise<TestSite> {
  const requests: TestSite['requests'] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    const authorized = req.headers.authorization === `Bearer ${files.token}`;
    requests.push({ path: url.pathname, authorized });
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization' };
    const send = (status: number, body: string | Buffer, type = 'text/plain') => res.writeHead(status, { ...cors, 'content-type': type, 'cache-control': 'no-store' }).end(body);
    try {
      if (req.method === 'OPTIONS') return send(204, '');
      if (url.pathname in files.pages) return send(200, files.pages[url.pathname], TYPES['.html']);
      if (url.pathname in files.scripts) return send(200, files.scripts[url.pathname], TYPES['.js']);
      const [, area, ...rest] = url.pathname.split('/');
      const name = path.basename(rest.join('/'));
      if (area === 'images') return send(200, await readFile(path.join(files.imageDir, name)), TYPES[path.extname(name)]);
      if (area === 'wasm') return send(200, await readFile(path.join(files.wasmDir, name)), TYPES['.wasm']);
      if (area === 'ort' && files.ortDir) return send(200, await readFile(path.join(files.ortDir, name)), TYPES[path.extname(name)]);
      if (area === 'models' || (area === 'v1' && rest[0] === 'models')) {
        if (area === 'v1' && !authorized) return send(401, JSON.stringify({ statusCode: 401, error: 'missing or wrong pairing token', field: 'authorization' }), TYPES['.json']);
        return send(200, await readFile(path.join(files.modelDir, name)), TYPES[path.extname(name)]);
      }
      send(404, `no ${url.pathname}`);
    } catch (error) {
      send(404, String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
