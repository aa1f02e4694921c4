/** Resilience of provider calls: retries honouring Retry-After, per-provider circuit breakers, timeouts. */
export { withRetry, backoffDelayMs } from './retry.ts';
export type { RetryOptions } from './retry.ts';
export { createCircuitBreaker } from './circuit-breaker.ts';
export type { BreakerSnapshot, BreakerState, CircuitBreakerOptions, ProviderBreaker } from './circuit-breaker.ts';
export { withTimeouts } from './timeouts.ts';
export type { TimeoutOptions } from './timeouts.ts';
export { BreakerRegistry, withResilience } from './resilient-provider.ts';
export type { ResilienceOptions } from './resilient-provider.ts';
export { isCircuitRejection, isProviderFailure, isRetryableHere } from './failure-kinds.ts';
export { eventsOf, openStream } from './open-stream.ts';
export type { OpenedStream } from './open-stream.ts';
