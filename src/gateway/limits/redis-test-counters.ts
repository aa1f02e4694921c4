/**
 * For tests: a RedisCounterStore on the real Redis (127.0.0.1:6379, or PLUMB_TEST_REDIS_URL)
 * under a fresh key prefix, whose close() deletes every key it made.
 */
import { randomUUID } from 'node:crypto';
import { connectRedis } from '../../store/redis/redis-connection.ts';
import { RedisCounterStore } from './redis-counter-store.ts';

export const TEST_REDIS_URL = process.env['PLUMB_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

class CleanedRedisCounterStore extends RedisCounterStore {
  constructor(
    private readonly cleanup: () => Promise<void>,
    options: ConstructorParameters<typeof RedisCounterStore>[0],
  ) {
    super(options);
  }
  override async close(): Promise<void> {
    await this.cleanup();
    await super.close();
  }
}

/** A new unique prefix for one test (share it between stores to act as replicas). */
export function testPrefix(): string {
  return `plumb-test:${randomUUID()}:`;
}

/** Opens a store (its own connection) under `prefix`; closing it deletes the prefix's keys. */
export async function openTestRedisCounters(prefix: string = testPrefix()): Promise<RedisCounterStore> {
  const client = await connectRedis(TEST_REDIS_URL);
  const cleanup = async (): Promise<void> => {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  };
  return new CleanedRedisCounterStore(cleanup, { client, prefix, url: TEST_REDIS_URL, ownsClient: true });
}
