import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectRedis } from '../../store/redis/redis-connection.ts';
import { runCounterStoreContract } from './counter-store.contract.ts';
import type { CounterCheck } from './counter-store.ts';
import { openCounterStore } from './open-counter-store.ts';
import { RedisCounterStore } from './redis-counter-store.ts';
import { openTestRedisCounters, TEST_REDIS_URL, testPrefix } from './redis-test-counters.ts';

runCounterStoreContract('redis', () => openTestRedisCounters());

const check: CounterCheck = { kind: 'window', key: 'k', amount: 1, limit: 10, resetAtMs: Date.UTC(2030, 0, 1) };

describe('RedisCounterStore', () => {
  it('two replicas on one Redis share their counters', async () => {
    const prefix = testPrefix();
    const [a, b] = await Promise.all([openTestRedisCounters(prefix), openTestRedisCounters(prefix)]);
    try {
      const now = Date.UTC(2029, 5, 1);
      const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).reserve([check], now)));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('reloads its scripts after Redis forgets them', async () => {
    const store = await openTestRedisCounters();
    const admin = await connectRedis(TEST_REDIS_URL);
    try {
      await admin.script('FLUSH');
      expect((await store.reserve([check], Date.UTC(2029, 5, 1))).ok).toBe(true);
    } finally {
      admin.disconnect();
      await store.close();
    }
  });

  it('fails with a clear "unavailable" error when Redis is down', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(openCounterStore({ redis: `redis://127.0.0.1:${port}` })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
  });

  it('turns a Redis that went away mid-flight into "unavailable"', async () => {
    const client = await connectRedis(TEST_REDIS_URL);
    const store = new RedisCounterStore({ client, prefix: testPrefix(), url: TEST_REDIS_URL });
    client.disconnect();
    await expect(store.reserve([check], Date.now())).rejects.toMatchObject({ code: 'unavailable', status: 503 });
  });
});
