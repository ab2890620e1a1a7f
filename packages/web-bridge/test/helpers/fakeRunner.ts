import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from '../../src/index.ts';
import { health as defaultHealth } from './health.ts';

export const TOKEN = 'a'.repeat(43);
export const JOB_ID = '6b1f1c1e-0000-4000-8000-000000000001';
export const RESULT_PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Route = (request: ReceivedRequest, response: ServerResponse) => unknown;

/**
 * A stand-in for `pastiche serve` on 127.0.0.1:0 with the real one's routes, token rule and error shape.
 * `routes` (`'POST /v1/jobs'`, `'GET /v1/jobs/:id/events'`, …) replace the default behaviour of a route.
 */
export async function startFakeRunner(options: { health?: Health; routes?: Record<string, Route> } = {}) {
  const received: ReceivedRequest[] = [];
  const routes: Record<string, Route> = {
    'GET /v1/health': (_, res) => sendJson(res, 200, options.health ?? defaultHealth()),
    'GET /v1/pairing': (_, res) => res.writeHead(204).end(),
    'POST /v1/jobs': (_, res) => sendJson(res, 202, { id: JOB_ID, status: 'queued', queuePosition: 1, seed: 7, links: {} }),
    'GET /v1/jobs/:id': (req, res) => (req.path.endsWith(JOB_ID) ? sendJson(res, 200, jobStatus('running')) : sendError(res, 404, `no job`, 'id')),
    'DELETE /v1/jobs/:id': (_, res) => sendJson(res, 200, jobStatus('cancelled')),
    'GET /v1/jobs/:id/result': (_, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(RESULT_PNG),
    'GET /v1/jobs/:id/events': (_, res) => sendEvents(res, happyEvents()),
    ...options.routes,
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url!.split('?')[0];
    const request = { method: req.method!, path, headers: req.headers, body: Buffer.concat(chunks) };
    received.push(request);
    const key = `${req.method} ${path.replace(/^\/v1\/jobs\/[^/]+/, '/v1/jobs/:id')}`;
    const route = routes[key];
    if (!route) return sendError(res, 404, `no route ${key}`);
    if (path !== '/v1/health' && req.headers.authorization !== `Bearer ${TOKEN}`) {
      return sendError(res, 401, 'missing or wrong pairing token: send it in an Authorization: Bearer header', 'authorization');
    }
    await route(request, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** The runner's error shape: `{statusCode, error, field?, limit?}`. */
export function sendError(res: ServerResponse, status: number, error: string, field?: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  sendJson(res, status, { statusCode: status, error, ...(field ? { field } : {}), ...extra }, headers);
}

function jobStatus(state: string) {
  return { id: JOB_ID, status: state, queuePosition: null, progress: null, error: null, cancelReason: null, cancelRequested: false, seed: 7, createdAt: '', startedAt: null, finishedAt: null, result: null, links: {} };
}

const progress = (evaluation: number) => ({
  scale: 0, scales: 1, width: 4, height: 3, evaluation, evaluations: 2, totalEvaluation: evaluation, totalEvaluations: 2,
  loss: { total: 10 - evaluation, content: 1, style: 2, tv: 3 }, elapsedMs: 100 * evaluation, etaMs: 100 * (2 - evaluation),
});

/** A tiny PNG as the runner sends previews: a data URL. */
const PREVIEW_DATA_URL = `data:image/png;base64,${Buffer.from(RESULT_PNG).toString('base64')}`;

export function happyEvents(): Array<[string, unknown]> {
  return [
    ['queued', { position: 1 }],
    ['started', { startedAt: '2025-01-01T00:00:00.000Z' }],
    ['progress', progress(1)],
    ['preview', { totalEvaluation: 1, width: 4, height: 3, image: PREVIEW_DATA_URL }],
    ['progress', progress(2)],
    ['done', { result: { width: 4, height: 3, bytes: RESULT_PNG.length }, stats: { evaluations: 2, elapsedMs: 200, loss: progress(2).loss, seed: 7, backend: 'wasm', scales: [] } }],
  ];
}

/**
 * Writes events as SSE in 3-byte pieces a few milliseconds apart (with a heartbeat and CRLF line ends), so
 * that reads end mid-line, mid-CRLF and mid-UTF-8 sequence. `end: false` leaves the stream open.
 */
export async function sendEvents(res: ServerResponse, events: Array<[string, unknown]>, { end = true } = {}) {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
  res.flushHeaders();
  const text = ': heartbeat\r\n\r\n' + events.map(([event, data]) => `event: ${event}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`).join('');
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += 3) {
    if (res.destroyed) return;
    res.write(bytes.subarray(i, i + 3));
    if (i % 96 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (end) res.end();
}
