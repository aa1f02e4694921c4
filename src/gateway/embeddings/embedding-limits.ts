/**
 * Tenant rate limits for embeddings, on the same rpm/tpm buckets as chat (a tenant's minute is
 * one minute, whatever it spends it on): reserve one request and the texts' tokens (our tokenizer,
 * with a margin, since providers count differently), settle the tokens to what the provider
 * reported, and on failure keep the request (the provider saw it) but give the tokens back. It sits
 * inside the cache, so texts served from the cache take nothing.
 */
import type { CounterStore } from '../limits/counter-store.ts';
import type { RateLimit } from '../limits/limits-config-schema.ts';
import { rateLimitChecks, rateLimitError } from '../limits/rate-limits.ts';
import { Reservation } from '../limits/reservation.ts';
import { worstCaseEmbeddingTokens } from './embedding-estimate.ts';
import type { EmbeddingMiddleware } from './embedding-middleware.ts';
import { wrapEmbedding } from './embedding-middleware.ts';

export interface EmbeddingRateLimitOptions {
  counters: CounterStore;
  /** Per tenant id; "*" for every tenant without its own entry. */
  tenants: Record<string, RateLimit>;
  defaultTenant: string;
  now?: () => number;
  onSettleError?: (error: unknown) => void;
}

/** Middleware enforcing per-tenant rpm/tpm on embeddings calls (429 with Retry-After when full). */
export function embeddingRateLimit(options: EmbeddingRateLimitOptions): EmbeddingMiddleware {
  const now = options.now ?? Date.now;
  return (next) =>
    wrapEmbedding(next, async (texts, embedOptions) => {
      const tenant = embedOptions.tenantId ?? options.defaultTenant;
      const tokens = worstCaseEmbeddingTokens(texts);
      const labelled = rateLimitChecks('tenant', tenant, options.tenants[tenant] ?? options.tenants['*'], tokens);
      if (labelled.length === 0) return next.embed(texts, embedOptions);
      const { outcome, reservation } = await Reservation.take(options.counters, labelled.map((l) => l.check), now());
      if (!reservation) throw rateLimitError(labelled, outcome);
      const settle = async (usedTokens: number) => {
        try {
          await reservation.settle(labelled.map((l) => (l.unit === 'rpm' ? 1 : usedTokens)), now());
        } catch (error) {
          options.onSettleError?.(error);
        }
      };
      try {
        const result = await next.embed(texts, embedOptions);
        await settle(result.usage.inputTokens);
        return result;
      } catch (error) {
        await settle(0);
        throw error;
      }
    });
}
