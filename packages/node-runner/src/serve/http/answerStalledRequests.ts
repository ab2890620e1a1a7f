import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorReply } from '@pastiche/web-bridge/wire';

/**
 * Node closes a connection that sends nothing for the idle timeout (--body-timeout-seconds) without a word.
 * With this, a request that stalled before its headers were whole is answered 408, in the wire's error shape,
 * before its connection is closed; an idle keep-alive connection (nothing sent since its last reply) is closed
 * as before. A request being handled that listens for its own timeout (a job body being received) answers
 * for itself; any other is cut as Node cuts it.
 */
export function answerStalledRequests(server: Server, idleSeconds: number): void {
  const handling = new WeakMap<Socket, IncomingMessage>();
  /** socket.bytesRead when its last reply ended: more since means part of a next request arrived. */
  const atRest = new WeakMap<Socket, number>();
  server.on('request', (request: IncomingMessage, response) => {
    const socket = request.socket;
    handling.set(socket, request);
    response.once('close', () => {
      handling.delete(socket);
      atRest.set(socket, socket.bytesRead);
    });
  });
  server.on('timeout', (socket: Socket) => {
    const request = handling.get(socket);
    if (request) {
      if (request.complete || request.listenerCount('timeout') === 0) socket.destroy();
      return;
    }
    if (socket.bytesRead <= (atRest.get(socket) ?? 0)) return void socket.destroy();
    const reply: ErrorReply = { statusCode: 408, error: `the request stopped arriving: nothing came for ${idleSeconds} s (limit --body-timeout-seconds ${idleSeconds})` };
    const body = JSON.stringify(reply);
    socket.write(`HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    socket.destroySoon();
  });
}
