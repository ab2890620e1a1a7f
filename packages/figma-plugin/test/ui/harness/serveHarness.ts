import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.jpg': 'image/jpeg', '.bin': 'application/octet-stream' };

/**
 * The browser test's server on 127.0.0.1 (a free port): the harness page and script, the built UI (and, where
 * given, the built main code, which the harness then runs in place of the sources), the example images and, under /models/vgg16/, the real weights read from ../shared at request time (never
 * copied). Replies allow any origin: the plugin's iframe is an opaque origin, as in Figma.
 */
export async function serveHarness(files: { page: string; script: string; uiHtmlFile: string; mainJsFile?: string; imageDir: string; modelDir: string }) {
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    requests.push(url.pathname);
    const send = (status: number, body: string | Buffer, type = 'text/plain') =>
      res.writeHead(status, { 'access-control-allow-origin': '*', 'content-type': type, 'cache-control': 'no-store' }).end(body);
    try {
      if (url.pathname === '/') return send(200, files.page, TYPES['.html']);
      if (url.pathname === '/harness.js') return send(200, files.script, TYPES['.js']);
      if (url.pathname === '/ui.html') return send(200, await readFile(files.uiHtmlFile), TYPES['.html']);
      if (url.pathname === '/main.js' && files.mainJsFile) return send(200, await readFile(files.mainJsFile), TYPES['.js']);
      const [, area, name = ''] = url.pathname.split('/');
      const file = path.basename(url.pathname);
      if (area === 'images') return send(200, await readFile(path.join(files.imageDir, path.basename(name))), TYPES['.jpg']);
      if (area === 'models') return send(200, await readFile(path.join(files.modelDir, file)), TYPES[path.extname(file)] ?? 'application/octet-stream');
      send(404, `no ${url.pathname}`);
    } catch (error) {
      send(404, String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
