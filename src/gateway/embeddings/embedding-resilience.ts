/**
 * One embedding provider's protection, in the chat order: retries outermost (each attempt passes
 * the breaker), then the breaker — the provider's own, shared with its chat models, since a
 * provider that is down is down for both — then a timeout per attempt.
 */
import { PlumbError } from '../../core/errors.ts';
import type { EmbeddingModel, ResponseMetadata } from '../../core/model.ts';
import { CallTimer } from '../resilience/call-timer.ts';
import type { CircuitBreakerOptions } from '../resilience/circuit-breaker.ts';
import { BreakerRegistry } from '../resilience/resilient-provider.ts';
import { retryPolicy, type RetryOptions } from '../resilience/retry.ts';
import { wrapEmbedding } from './embedding-middleware.ts';

export interface EmbeddingResilienceOptions {
  retry?: RetryOptions | undefined;
  breaker?: CircuitBreakerOptions | undefined;
  /** Longest time for one attempt (the whole batch). */
  totalMs?: number | undefined;
}

/** Wraps a provider's embedding model in retry, breaker and a per-attempt timeout. */
export function withEmbeddingResilience(model: EmbeddingModel, options: EmbeddingResilienceOptions, registry = new BreakerRegistry()): EmbeddingModel {
  const breaker = options.breaker ? registry.get(model.provider, options.breaker) : undefined;
  const policy = options.retry ? retryPolicy(options.retry) : undefined;
  return wrapEmbedding(model, async (texts, embedOptions) => {
    let attempts = 0;
    const attempt = async () => {
      attempts += 1;
      const timer = new CallTimer(embedOptions.signal);
      timer.after(options.totalMs, () =>
        new PlumbError('upstream_timeout', `${model.provider} did not embed ${texts.length} texts within ${options.totalMs} ms.`, {
          hint: `Raise gateway.providers.${model.provider}.timeouts.totalMs, or lower the batch size.`,
          details: { provider: model.provider },
        }),
      );
      const call = () => timer.race(model.embed(texts, { ...embedOptions, signal: timer.signal }));
      try {
        return await (breaker ? breaker.run(call) : call());
      } finally {
        timer.dispose();
      }
    };
    const result = policy ? await policy.execute(attempt, embedOptions.signal) : await attempt();
    const metadata: ResponseMetadata = { ...result.metadata, provider: model.provider, model: model.modelId };
    if (attempts > 1) metadata['retries'] = attempts - 1;
    return { ...result, metadata };
  });
}
