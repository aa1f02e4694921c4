/** Embeddings keyed by (tenant, model, content hash), so unchanged text is never embedded twice. */
import type { StatementCache } from './statement-cache.ts';
import { decodeVector, encodeVector } from './vector-codec.ts';

/** The cached vectors among `contentHashes`, keyed by hash; misses are absent. */
export function selectCachedEmbeddings(
  sql: StatementCache,
  tenantId: string,
  model: string,
  contentHashes: string[],
): Map<string, Float32Array> {
  const statement = sql.get('SELECT vector FROM embedding_cache WHERE tenant_id = ? AND model = ? AND content_hash = ?').pluck();
  const found = new Map<string, Float32Array>();
  for (const hash of contentHashes) {
    const bytes = statement.get(tenantId, model, hash) as Buffer | undefined;
    if (bytes) found.set(hash, decodeVector(bytes));
  }
  return found;
}

/** Stores (or overwrites) one cache entry. */
export function upsertCachedEmbedding(sql: StatementCache, tenantId: string, model: string, contentHash: string, vector: Float32Array): void {
  sql
    .get(
      `INSERT INTO embedding_cache (tenant_id, model, content_hash, dims, vector, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, model, content_hash) DO UPDATE SET dims = excluded.dims, vector = excluded.vector`,
    )
    .run(tenantId, model, contentHash, vector.length, encodeVector(vector), new Date().toISOString());
}
