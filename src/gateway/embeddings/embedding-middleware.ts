/**
 * The embedding half of the gateway: an EmbeddingModel that wraps EmbeddingModels, so ledger,
 * cache, budgets, fallback and each provider's resilience compose as they do for chat.
 */
import type { EmbeddingModel, EmbedOptions, EmbedResult } from '../../core/model.ts';

/** Wraps an embedding model. */
export type EmbeddingMiddleware = (next: EmbeddingModel) => EmbeddingModel;

/** Applies middleware so that the first one listed is the outermost (sees the call first). */
export function composeEmbedding(model: EmbeddingModel, ...middleware: EmbeddingMiddleware[]): EmbeddingModel {
  return middleware.reduceRight<EmbeddingModel>((inner, wrap) => wrap(inner), model);
}

/** An EmbeddingModel that delegates to `inner` with its own `embed`. */
export function wrapEmbedding(inner: EmbeddingModel, embed: (texts: string[], options: EmbedOptions) => Promise<EmbedResult>, overrides: { provider?: string; modelId?: string } = {}): EmbeddingModel {
  return {
    specificationVersion: 'v1',
    provider: overrides.provider ?? inner.provider,
    modelId: overrides.modelId ?? inner.modelId,
    dimensions: inner.dimensions,
    maxBatchSize: inner.maxBatchSize,
    embed: (texts, options = {}) => embed(texts, options),
  };
}
