import { Redis, type RedisOptions } from 'ioredis';
import { PasticheInputError } from '@pastiche/core';

/**
 * `--queue redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS (add `?insecure` only to accept a
 * self-signed certificate in a test set-up). The password never appears in logs, errors or health: `display` is
 * the URL without it.
 */
export interface QueueUrl {
  url: string;
  display: string;
  tls: boolean;
}

export function parseQueueUrl(raw: string, field = 'config.queue'): QueueUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PasticheInputError(field, `expected a Redis URL such as redis://127.0.0.1:6379 or rediss://:password@host:6380/0, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new PasticheInputError(field, `expected a redis:// or rediss:// (TLS) URL, got ${url.protocol}//`);
  if (!url.hostname) throw new PasticheInputError(field, 'the Redis URL names no host');
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) throw new PasticheInputError(field, `the Redis database is a number (redis://host:port/0), got "/${db}"`);
  const shown = new URL(url.href);
  if (shown.password) shown.password = '***';
  return { url: url.href, display: shown.href.replace(/\/$/, ''), tls: url.protocol === 'rediss:' };
}

/**
 * An ioredis client for the pool. Reconnects every ≤ 2 s while Redis is away (BullMQ's default backs off to
 * 20 s: too slow to notice its return). `failFast`: a command issued while disconnected fails at once instead
 * of waiting in ioredis' offline queue, so that an HTTP request is answered 503, not left hanging.
 */
export function connectRedis(queueUrl: QueueUrl, { failFast, name }: { failFast: boolean; name: string }): Redis {
  const options: RedisOptions = {
    connectionName: name,
    retryStrategy: (times) => Math.min(100 * times, 2000),
    // BullMQ needs this null on connections that block (workers, queue events); commands then wait for a reconnect.
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
    connectTimeout: 5000,
  };
  const insecure = new URL(queueUrl.url).searchParams.has('insecure');
  if (queueUrl.tls && insecure) options.tls = { rejectUnauthorized: false };
  const client = new Redis(queueUrl.url.replace(/\?.*$/, ''), options);
  client.on('error', () => {}); // reported where it matters (health, a refused job); ioredis reconnects by itself
  return client;
}
