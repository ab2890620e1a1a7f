import type { FastifyReply } from 'fastify';
import { TERMINAL_EVENTS, type JobEvent } from '@pastiche/web-bridge/wire';
import { currentJobEvents, isFinished } from '../jobs/job.ts';
import type { JobQueue, JobView } from '../../queue/JobQueue.ts';

/**
 * Streams a job's events as Server-Sent Events (`event: <type>` + `data: <json>`). A subscriber first gets
 * the job's current state (so a late one misses nothing that matters), then every event until the job
 * finishes, when the stream ends; a `: heartbeat` comment keeps idle streams open. `open` tracks the
 * stream so that shutdown can end it. `find` reads the job (or throws the 404) after the subscription is
 * made, so that no event falls between the two; events that arrived meanwhile are older than the view, and
 * only a terminal one among them is still news.
 */
export async function openEventStream(
  reply: FastifyReply,
  queue: JobQueue,
  id: string,
  find: () => Promise<JobView>,
  heartbeatMs: number,
  open: Set<() => void>,
): Promise<void> {
  let listener: ((event: JobEvent) => void) | undefined;
  const early: JobEvent[] = [];
  const unsubscribe = queue.subscribe(id, (event) => (listener ? listener(event) : early.push(event)));
  let job: JobView;
  try {
    job = await find();
  } catch (error) {
    unsubscribe();
    throw error;
  }

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
  const terminal = isFinished(job) ? undefined : early.find((e) => TERMINAL_EVENTS.includes(e.type));
  if (terminal) send(terminal);
  if (isFinished(job) || terminal) {
    unsubscribe();
    res.end();
    return;
  }

  const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    open.delete(close);
    if (!res.writableEnded) res.end();
  };
  listener = (event: JobEvent) => {
    send(event);
    if (TERMINAL_EVENTS.includes(event.type)) close();
  };
  open.add(close);
  res.on('close', close);
}
