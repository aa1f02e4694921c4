/** Rate limits (per tenant and per provider, rpm/tpm) and the counters behind limits and budgets. */
export type { CounterAdjustment, CounterCheck, CounterOutcome, CounterStore } from './counter-store.ts';
export { MemoryCounterStore } from './memory-counter-store.ts';
export { RedisCounterStore } from './redis-counter-store.ts';
export type { RedisCounterStoreOptions } from './redis-counter-store.ts';
export { openCounterStore } from './open-counter-store.ts';
export type { CounterBackend } from './open-counter-store.ts';
export { Reservation } from './reservation.ts';
export { estimateInputTokens, worstCaseUsage } from './request-estimate.ts';
export { meteredStream } from './metered-stream.ts';
export type { StreamMeter } from './metered-stream.ts';
export { rateLimitChecks, rateLimitError } from './rate-limits.ts';
export type { LabelledCheck, LimitScope } from './rate-limits.ts';
export { createRateLimitMiddleware } from './limits-middleware.ts';
export type { RateLimitMiddlewareOptions } from './limits-middleware.ts';
export { counterBackendSchema, limitsConfigSchema, rateLimitSchema } from './limits-config-schema.ts';
export type { LimitsConfig, RateLimit } from './limits-config-schema.ts';
