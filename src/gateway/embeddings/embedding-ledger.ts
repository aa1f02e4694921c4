/**
 * The cost ledger for embeddings: one row per embeddings request (outermost, so retries, fallback
 * and partial cache hits inside are one request), in the same table as chat. Rows carry the tag
 * "embeddings"; output tokens are 0; `cacheHit` is "exact" only when no text went upstream.
 */
import { performance } from 'node:perf_hooks';
import { toPlumbError } from '../../core/errors.ts';
import type { EmbedResult, ResponseMetadata } from '../../core/model.ts';
import type { LedgerEntry, Store } from '../../core/store.ts';
import type { ModelPrice, Usage } from '../../core/usage.ts';
import { uuidV7 } from '../../observe/random-id.ts';
import { currentSpan } from '../../observe/tracer.ts';
import type { InFlightCalls } from '../ledger/in-flight-calls.ts';
import { callCostNanoUsd } from '../ledger/ledger-cost.ts';
import type { EmbeddingMiddleware } from './embedding-middleware.ts';
import { wrapEmbedding } from './embedding-middleware.ts';

export interface EmbeddingLedgerOptions {
  store: Pick<Store, 'appendLedgerEntry'>;
  /** The configured price of the model that answered; else the cost the provider reported is booked. */
  priceOf?: (model: string, provider: string) => ModelPrice | undefined;
  defaultTenant: string;
  onBookingError?: (error: unknown, entry: LedgerEntry) => void;
  /** Counts calls from start to booking, so that closing can wait for their rows (shared with chat). */
  inFlight?: InFlightCalls;
}

/** Middleware booking one ledger row per embeddings request. */
export function embeddingLedger(options: EmbeddingLedgerOptions): EmbeddingMiddleware {
  return (next) =>
    wrapEmbedding(next, async (texts, embedOptions) => {
      const at = performance.now();
      const createdAt = new Date().toISOString();
      const traceId = embedOptions?.traceId ?? currentSpan()?.traceId ?? null;
      const book = async (status: string, result: EmbedResult | undefined, failedAttempts?: number) => {
        const metadata: ResponseMetadata = result?.metadata ?? {};
        const usage: Usage = result?.usage ?? { inputTokens: 0, outputTokens: 0 };
        const model = typeof metadata['model'] === 'string' ? metadata['model'] : next.modelId;
        const provider = typeof metadata['provider'] === 'string' ? metadata['provider'] : next.provider;
        // Time-ordered, like chat rows; a call that is its own trace is booked under the trace's id.
        const ownsTrace = embedOptions.ledgerTrace !== undefined && embedOptions.traceId !== undefined;
        const id = ownsTrace ? embedOptions.traceId! : uuidV7();
        const attempts = (typeof metadata['attempts'] === 'number' ? metadata['attempts'] : 1) + (typeof metadata['retries'] === 'number' ? metadata['retries'] : 0);
        const entry: LedgerEntry = {
          id,
          tenantId: embedOptions.tenantId ?? options.defaultTenant,
          route: embedOptions.route ?? next.modelId,
          provider,
          model,
          inputTokens: usage.inputTokens,
          outputTokens: 0,
          cachedInputTokens: 0,
          cacheWriteInputTokens: 0,
          reasoningTokens: 0,
          costNanoUsd: result ? embeddingCostNanoUsd(result, next.modelId, options.priceOf) : 0,
          cacheHit: metadata['cache'] === 'exact' ? 'exact' : 'none',
          latencyMs: Math.round((performance.now() - at) * 1000) / 1000,
          firstTokenMs: null,
          status,
          streamed: false,
          attempts: failedAttempts ?? Math.max(1, attempts),
          tags: [...(embedOptions.tags ?? []), 'embeddings'],
          createdAt,
          requestId: id,
          traceId,
        };
        try {
          await options.store.appendLedgerEntry(entry);
          if (ownsTrace) embedOptions.ledgerTrace!.booked = true;
        } catch (error) {
          (options.onBookingError ?? ((e) => console.error(`plumb ledger: could not book embeddings request ${id}: ${e instanceof Error ? e.message : String(e)}`)))(error, entry);
        }
      };
      const booked = options.inFlight?.start();
      let result: EmbedResult;
      try {
        result = await next.embed(texts, embedOptions);
      } catch (error) {
        const plumbError = toPlumbError(error);
        const tried = plumbError.details?.['attempts'];
        await book(embedOptions.signal?.aborted ? 'cancelled' : plumbError.code, undefined, Array.isArray(tried) ? Math.max(1, tried.length) : undefined);
        booked?.();
        throw error;
      }
      await book('ok', result);
      booked?.();
      return result;
    });
}

/**
 * The nano-dollars an embeddings call books: the configured price of the model that answered
 * (metadata.model), else the cost the provider reported. Embedding budgets settle with it too.
 */
export function embeddingCostNanoUsd(result: EmbedResult, requestedModel: string, priceOf: ((model: string, provider: string) => ModelPrice | undefined) | undefined): number {
  const metadata = result.metadata ?? {};
  const model = typeof metadata['model'] === 'string' ? metadata['model'] : requestedModel;
  const provider = typeof metadata['provider'] === 'string' ? metadata['provider'] : '';
  return callCostNanoUsd({ usage: { inputTokens: result.usage.inputTokens, outputTokens: 0 }, model, provider, reportedUsd: result.cost.usd }, priceOf);
}
