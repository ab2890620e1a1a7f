import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.jpg': 'image/jpeg', '.bin': 'application/octet-stream', '.wasm': 'application/wasm', '.txt': 'text/plain',
};

export interface TwoOrigins {
  /** Where the fake Photopea lives (as www.photopea.com would). */
  photopeaOrigin: string;
  /** Where the plugin is hosted: another origin, as in real use. */
  pluginOrigin: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * The browser test's web: one handler on two loopback ports, so that Photopea's page and the plugin's are
 * cross-origin as they are in real use. `/photopea/` is the fake Photopea, `/plugin/` the built plugin
 * folder, `/models/vgg16/` the real weights read from ../shared at request time (never copied), `/images/`
 * the example images.
 */
export async function serveTwoOrigins(files: { hostHtml: string; hostJs: string; pluginDir: string; modelDir: string; imageDir: string }): Promise<TwoOrigins> {
  const requests: string[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://localhost');
    requests.push(url.pathname);
    const send = (status: number, body: string | Buffer, type = 'text/plain') =>
      res.writeHead(status, { 'access-control-allow-origin': '*', 'content-type': type, 'cache-control': 'no-store' }).end(body);
    const file = path.basename(url.pathname);
    try {
      if (url.pathname === '/photopea/' || url.pathname === '/photopea/index.html') return send(200, files.hostHtml, TYPES['.html']);
      if (url.pathname === '/photopea/host.js') return send(200, files.hostJs, TYPES['.js']);
      if (url.pathname.startsWith('/plugin/')) {
        const relative = path.normalize(url.pathname.slice('/plugin/'.length));
        if (relative.startsWith('..')) return send(403, 'no');
        return send(200, await readFile(path.join(files.pluginDir, relative)), TYPES[path.extname(relative)] ?? 'application/octet-stream');
      }
      if (url.pathname.startsWith('/models/vgg16/')) return send(200, await readFile(path.join(files.modelDir, file)), TYPES[path.extname(file)] ?? 'application/octet-stream');
      if (url.pathname.startsWith('/images/')) return send(200, await readFile(path.join(files.imageDir, file)), TYPES[path.extname(file)]);
      send(404, `no ${url.pathname}`);
    } catch (error) {
      send(404, String(error));
    }
  };
  const servers = [createServer(handle), createServer(handle)];
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  const [photopeaOrigin, pluginOrigin] = servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    photopeaOrigin,
    pluginOrigin,
    requests,
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      ).then(() => {}),
  };
}
