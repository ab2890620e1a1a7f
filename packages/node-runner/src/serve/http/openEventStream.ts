import type { FastifyReply } from 'fastify';
import { TERMINAL_EVENTS, type JobEvent } from '@pastiche/web-bridge/wire';
import { currentJobEvents, isFinished, type Job } from '../jobs/job.ts';

/**
 * Streams a job's events as Server-Sent Events (`event: <type>` + `data: <json>`). A subscriber first gets
 * the job's current state (so a late one misses nothing that matters), then every event until the job
 * finishes, when the stream ends; a `: heartbeat` comment keeps idle streams open. `open` tracks the
 * stream so that shutdown can end it.
 */
export function openEventStream(reply: FastifyReply, job: Job, heartbeatMs: number, open: Set<() => void>): void {
  reply.hijack();
  const res = reply.raw;
  res.socket?.setTimeout(0); // a stream is quiet while its job waits in line: --body-timeout-seconds is not for it
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  const write = (text: string) => {
    if (!res.writableEnded && !res.destroyed) res.write(text);
  };
  const send = (event: JobEvent) => write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
  res.on('error', () => {}); // a client gone mid-write: 'close' follows and cleans up
  for (const event of currentJobEvents(job)) send(event);
  if (isFinished(job)) {
    res.end();
    return;
  }

  const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
  const close = () => {
    clearInterval(heartbeat);
    job.listeners.delete(listener);
    open.delete(close);
    if (!res.writableEnded) res.end();
  };
  const listener = (event: JobEvent) => {
    send(event);
    if (TERMINAL_EVENTS.includes(event.type)) close();
  };
  job.listeners.add(listener);
  open.add(close);
  res.on('close', close);
}
