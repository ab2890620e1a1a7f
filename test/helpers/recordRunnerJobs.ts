import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through in front of a runner that keeps the body of every job submitted (POST /v1/jobs): what the
 * plugin actually sent, for the test to read. Everything else, the event stream included, is piped as is;
 * the Host header is the runner's own, which it checks. Each request has its own connection to the runner
 * (no agent): a kept-alive socket the runner closes as the proxy reuses it would fail a request the plugin made.
 */
export async function recordRunnerJobs(runnerUrl: string) {
  const target = new URL(runnerUrl);
  const jobs: Uint8Array[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && req.url === '/v1/jobs') jobs.push(new Uint8Array(body));
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host }, agent: false }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      upstream.on('error', (error) => res.writeHead(502).end(String(error)));
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    jobs,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
