/**
 * One way to open Redis: a URL in, a connected ioredis client out, or a PlumbError that says
 * which Redis could not be reached and what to do. Commands fail fast while Redis is down
 * (no offline queue, one retry) so a limit or budget check errors instead of hanging a request.
 */
import type { Redis } from 'ioredis';
import { PlumbError } from '../../core/errors.ts';

export interface RedisConnectOptions {
  /** How long the first connection may take. Default 2 s. */
  connectTimeoutMs?: number;
  /** Name shown in Redis `CLIENT LIST`, e.g. "plumb-limits". */
  connectionName?: string;
}

/** Connects to `url` (redis:// or rediss://) and resolves once Redis answers PING. */
export async function connectRedis(url: string, options: RedisConnectOptions = {}): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PlumbError('invalid_config', `Redis URL "${redactRedisUrl(url)}" is not a URL`, {
      hint: 'Write it as redis://host:6379 (or rediss:// for TLS), e.g. redis://127.0.0.1:6379/0.',
    });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new PlumbError('invalid_config', `Redis URL "${redactRedisUrl(url)}" must start with redis:// or rediss://`, {
      hint: 'e.g. redis://127.0.0.1:6379',
    });
  }
  // Loaded on first use: a plumb without Redis never pays for the client library.
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    // Fail fast: a request waiting on a dead Redis is worse than a clear 503.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Reconnect in the background after a drop (a failed first connect is disconnected below).
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  });
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw redisUnavailable(url, err);
  }
  return client;
}

/** The error for a Redis that cannot be reached or stopped answering. */
export function redisUnavailable(url: string, cause: unknown): PlumbError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PlumbError('unavailable', `Redis at ${redactRedisUrl(url)} is unreachable: ${reason}`, {
    hint: 'Start Redis (e.g. `redis-server`) or check the URL; for one process, set the backend to "memory".',
    cause,
  });
}

/** The URL with any password replaced by "***", safe for errors and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^@/]*)@/, '//***@');
  }
}
