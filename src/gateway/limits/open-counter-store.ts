/** Opens the counter store a config's `backend` names: memory, or a Redis URL. */
import { connectRedis } from '../../store/redis/redis-connection.ts';
import type { CounterStore } from './counter-store.ts';
import { MemoryCounterStore } from './memory-counter-store.ts';
import { RedisCounterStore } from './redis-counter-store.ts';

export type CounterBackend = 'memory' | { redis: string; prefix?: string };

/** A counter store for `backend`; throws PlumbError 'unavailable' when Redis cannot be reached. */
export async function openCounterStore(backend: CounterBackend): Promise<CounterStore> {
  if (backend === 'memory') return new MemoryCounterStore();
  const client = await connectRedis(backend.redis, { connectionName: 'plumb-limits' });
  return new RedisCounterStore({ client, url: backend.redis, ownsClient: true, ...(backend.prefix === undefined ? {} : { prefix: backend.prefix }) });
}
