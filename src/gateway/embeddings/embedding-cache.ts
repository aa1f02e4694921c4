/**
 * The exact embedding cache, per input text and per tenant: a batch whose texts were embedded
 * before sends only the rest upstream and puts the vectors back in input order. Vectors live in
 * the store's embedding cache (the table ingest uses), keyed by (tenant, `gateway:<space>`,
 * sha256 of the text): a text's vector under one model never changes, so entries do not expire.
 * Metadata says `cache` ("exact": nothing sent, "partial", "miss") and `cachedInputs`.
 */
import { sha256 } from '../../core/hash.ts';
import type { EmbedResult } from '../../core/model.ts';
import type { Store } from '../../core/store.ts';
import type { EmbeddingMiddleware } from './embedding-middleware.ts';
import { wrapEmbedding } from './embedding-middleware.ts';

export interface EmbeddingCacheOptions {
  store: Pick<Store, 'getCachedEmbeddings' | 'putCachedEmbeddings'>;
  /** Names the vector space, e.g. "text-embedding-3-small@1536": entries are shared only within it. */
  space: string;
  defaultTenant: string;
  /** Called when the cache could not be read or written (the call goes on without it). */
  onError?: (error: unknown) => void;
}

/** Middleware serving cached vectors per text and embedding only the texts it lacks. */
export function embeddingCache(options: EmbeddingCacheOptions): EmbeddingMiddleware {
  const model = `gateway:${options.space}`;
  return (next) =>
    wrapEmbedding(next, async (texts, embedOptions): Promise<EmbedResult> => {
      const tenantId = embedOptions.tenantId ?? options.defaultTenant;
      const hashes = texts.map((text) => sha256(text));
      let found = new Map<string, Float32Array>();
      try {
        found = await options.store.getCachedEmbeddings(tenantId, model, [...new Set(hashes)]);
      } catch (error) {
        options.onError?.(error);
      }
      // Each distinct missing text goes upstream once, even when the batch repeats it.
      const missing = [...new Set(hashes.filter((hash) => !found.has(hash)))];
      const cachedInputs = hashes.filter((hash) => found.has(hash)).length;
      if (missing.length === 0) {
        return {
          vectors: hashes.map((hash) => found.get(hash)!),
          usage: { inputTokens: 0, outputTokens: 0 },
          cost: { usd: 0 },
          metadata: { cache: 'exact', cachedInputs, provider: 'cache' },
        };
      }
      const textOf = new Map(hashes.map((hash, i) => [hash, texts[i]!]));
      const result = await next.embed(missing.map((hash) => textOf.get(hash)!), embedOptions);
      const fresh = new Map(missing.map((hash, i) => [hash, result.vectors[i]!]));
      try {
        await options.store.putCachedEmbeddings(tenantId, model, missing.map((hash) => ({ contentHash: hash, vector: fresh.get(hash)! })));
      } catch (error) {
        options.onError?.(error);
      }
      return {
        ...result,
        vectors: hashes.map((hash) => found.get(hash) ?? fresh.get(hash)!),
        metadata: { ...result.metadata, cache: cachedInputs > 0 ? 'partial' : 'miss', cachedInputs },
      };
    });
}
