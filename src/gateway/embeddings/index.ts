/** Embeddings through the gateway: ledger, per-text cache, budgets, tenant limits, fallback and per-provider resilience. */
export { composeEmbedding, wrapEmbedding, type EmbeddingMiddleware } from './embedding-middleware.ts';
export { embeddingCostNanoUsd, embeddingLedger, type EmbeddingLedgerOptions } from './embedding-ledger.ts';
export { embeddingCache, type EmbeddingCacheOptions } from './embedding-cache.ts';
export { embeddingBudget, type EmbeddingBudgetOptions } from './embedding-budget.ts';
export { embeddingRateLimit, type EmbeddingRateLimitOptions } from './embedding-limits.ts';
export { createEmbeddingFallback } from './embedding-fallback.ts';
export { withEmbeddingResilience, type EmbeddingResilienceOptions } from './embedding-resilience.ts';
export { embeddingChainFromConfig, embeddingSpace } from './embeddings-from-config.ts';
