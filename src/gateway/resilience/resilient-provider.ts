/**
 * Everything that protects one provider, in the order that makes sense: retries outermost (each
 * attempt passes the breaker, so an opened breaker stops the retries at once), then the breaker,
 * then the timeouts of a single attempt, then the provider itself.
 */
import type { ChatModel } from '../../core/model.ts';
import { composeChat } from '../middleware.ts';
import type { ChatMiddleware } from '../middleware.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import type { BreakerSnapshot, CircuitBreakerOptions, ProviderBreaker } from './circuit-breaker.ts';
import { withRetry } from './retry.ts';
import type { RetryOptions } from './retry.ts';
import { withTimeouts } from './timeouts.ts';
import type { TimeoutOptions } from './timeouts.ts';

export interface ResilienceOptions {
  /** Per attempt. */
  timeouts?: TimeoutOptions | undefined;
  retry?: RetryOptions | undefined;
  breaker?: CircuitBreakerOptions | undefined;
}

/** The breakers of all providers, by provider name, for health reporting. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, ProviderBreaker>();

  /** The provider's breaker, created on first use with these options. */
  get(provider: string, options: CircuitBreakerOptions): ProviderBreaker {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = createCircuitBreaker(provider, options);
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }

  /** Every breaker's state, sorted by provider name. */
  snapshots(): BreakerSnapshot[] {
    return [...this.breakers.values()].map((breaker) => breaker.snapshot()).sort((a, b) => a.provider.localeCompare(b.provider));
  }
}

/** Wraps a provider model in retry, breaker and timeouts; the breaker is shared through `registry` by provider name. */
export function withResilience(model: ChatModel, options: ResilienceOptions, registry?: BreakerRegistry): ChatModel {
  const layers: ChatMiddleware[] = [];
  if (options.retry) layers.push(withRetry(options.retry));
  if (options.breaker) layers.push((registry ?? new BreakerRegistry()).get(model.provider, options.breaker).middleware);
  if (options.timeouts) layers.push(withTimeouts(options.timeouts));
  return composeChat(model, ...layers);
}
