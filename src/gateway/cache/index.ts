/** Exact and semantic caching for the gateway: middleware, backends, policy and the pair replay. */
export { createCacheLayer, type CacheLayer, type CacheMiddlewareOptions, type SemanticMode } from './cache-middleware.ts';
export { CacheStatistics, shadowFalseHitRate, type TenantCacheStats } from './cache-stats.ts';
export type { CacheBackend } from './cache-backend.ts';
export { createMemoryCacheBackend, type MemoryCacheBackendOptions } from './memory-backend.ts';
export { createRedisCacheBackend, type RedisCacheBackendOptions } from './redis-backend.ts';
export { createSqliteCacheBackend, type SqliteCacheBackendOptions } from './sqlite-backend.ts';
export { SemanticCache, type SemanticCacheOptions, type SemanticLookup } from './semantic-cache.ts';
export { DEFAULT_SEMANTIC_POLICY } from './default-policy.ts';
export { decidePair, type PairDecision, type SemanticPolicy } from './semantic-policy.ts';
export { exactCacheKey, isDeterministic } from './exact-key.ts';
export { semanticScope, type SemanticScope } from './semantic-scope.ts';
export { guardFlags, type GuardFlags, type GuardName } from './guards.ts';
export type { CacheEntry, CachedAnswer, CacheKind, SemanticEntry } from './cached-answer.ts';
export { readPairs, replayPairs, replaySummary, type LabelledPair, type ReplayResult } from './replay-pairs.ts';
