/**
 * An embedding chain: the first model that answers wins, moving on only on provider failures (as
 * chat fallback does). Every model of a chain must embed into the same space — the same model at
 * different providers — since callers compare its vectors with ones made earlier; the config
 * gives one `dimensions` per chain for that reason.
 */
import { PlumbError } from '../../core/errors.ts';
import type { EmbeddingModel } from '../../core/model.ts';
import { exhausted } from '../fallback/fallback-model.ts';
import { isProviderFailure } from '../resilience/failure-kinds.ts';

/** A model that tries `chain` in order on provider failures; metadata says who answered. */
export function createEmbeddingFallback(chain: EmbeddingModel[], name: string): EmbeddingModel {
  const first = chain[0];
  if (!first) throw new PlumbError('invalid_config', `The embedding chain "${name}" needs at least one model.`);
  return {
    specificationVersion: 'v1',
    provider: first.provider,
    modelId: name,
    dimensions: first.dimensions,
    maxBatchSize: Math.min(...chain.map((m) => m.maxBatchSize)),
    async embed(texts, options = {}) {
      const failures: { model: EmbeddingModel; error: unknown }[] = [];
      for (const [index, model] of chain.entries()) {
        if (options.signal?.aborted) throw options.signal.reason;
        try {
          const result = await model.embed(texts, options);
          return { ...result, metadata: { ...result.metadata, provider: result.metadata?.['provider'] ?? model.provider, attempts: index + 1, fallback: index > 0 } };
        } catch (error) {
          if (!isProviderFailure(error) || options.signal?.aborted) throw error;
          failures.push({ model, error });
        }
      }
      throw exhausted(name, failures);
    },
  };
}
