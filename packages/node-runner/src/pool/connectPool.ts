import type { Redis } from 'ioredis';
import { checkBullmqVersion } from './bullmqInternals.ts';
import { connectRedis, type QueueUrl } from './redisConnection.ts';

/**
 * The Redis connections of one pool process: its own commands, BullMQ's (which waits for Redis to return: its
 * connections must not fail fast), BullMQ's blocking reads, and pub/sub. The server's own commands fail fast while
 * Redis is away, and it checks them before it asks BullMQ anything, so that an HTTP request gets a 503 at once.
 */
export interface PoolConnections {
  display: string;
  commands: Redis;
  bullmq: Redis;
  blocking: Redis;
  subscriber: Redis;
  /** The last connection error, while Redis is away. */
  lastError(): string | undefined;
  /** Resolves when the commands connection is ready, or after `ms` (Redis may be away: the pool starts anyway). */
  ready(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function connectPool(queueUrl: QueueUrl, role: 'server' | 'worker'): PoolConnections {
  checkBullmqVersion();
  const commands = connectRedis(queueUrl, { failFast: role === 'server', name: `pastiche-${role}` });
  const bullmq = connectRedis(queueUrl, { failFast: false, name: `pastiche-${role}-bullmq` });
  const blocking = connectRedis(queueUrl, { failFast: false, name: `pastiche-${role}-events` });
  const subscriber = connectRedis(queueUrl, { failFast: false, name: `pastiche-${role}-pubsub` });
  let lastError: string | undefined;
  commands.on('error', (error: Error) => (lastError = error.message || String(error)));
  commands.on('ready', () => (lastError = undefined));
  return {
    display: queueUrl.display,
    commands,
    bullmq,
    blocking,
    subscriber,
    lastError: () => lastError,
    ready: (ms) =>
      new Promise<void>((resolve) => {
        if (commands.status === 'ready') return resolve();
        const timer = setTimeout(done, ms);
        commands.once('ready', done);
        function done() {
          clearTimeout(timer);
          commands.off('ready', done);
          resolve();
        }
      }),
    async close() {
      for (const client of [commands, bullmq, blocking, subscriber]) client.disconnect();
    },
  };
}
