/** Redis connections shared by the gateway's limits, budgets and caches. */
export { connectRedis, redactRedisUrl, redisUnavailable } from './redis-connection.ts';
export type { RedisConnectOptions } from './redis-connection.ts';
