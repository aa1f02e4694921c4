/** Chunk vectors per embedding model, stored as float32 little-endian BLOBs. */
import { PlumbError } from '../../core/errors.ts';
import type { ScanChunksOptions, VectorPage } from '../../core/store.ts';
import { DEFAULT_SCAN_LIMIT } from './chunks-table.ts';
import type { StatementCache } from './statement-cache.ts';
import { decodeVector, encodeVector } from './vector-codec.ts';

export interface ChunkVector {
  chunkId: string;
  vector: Float32Array;
}

/**
 * Refuses vectors whose length differs from each other or from what the tenant already stores
 * under `model`: mixed dimensions mean two models share one id, and every similarity would be wrong.
 */
export function assertConsistentDims(sql: StatementCache, tenantId: string, model: string, vectors: Float32Array[]): void {
  const first = vectors[0];
  if (!first) return;
  const stored = sql.get('SELECT dims FROM chunk_vectors WHERE tenant_id = ? AND model = ? LIMIT 1').pluck().get(tenantId, model) as
    | number
    | undefined;
  const expected = stored ?? first.length;
  for (const vector of vectors) {
    if (vector.length === expected && vector.length > 0) continue;
    throw new PlumbError(
      'bad_request',
      `A vector for model "${model}" has ${vector.length} dimensions, but ${stored === undefined ? 'the others in this batch have' : 'stored ones have'} ${expected}.`,
      { hint: 'Give each embedding model (and each dimension setting of it) its own model id.', details: { model, expected, got: vector.length } },
    );
  }
}

/** Inserts or overwrites one chunk's vector; the chunk must exist (foreign key). */
export function upsertVectorRow(sql: StatementCache, tenantId: string, model: string, chunkId: string, vector: Float32Array): void {
  sql
    .get(
      `INSERT INTO chunk_vectors (tenant_id, model, chunk_id, dims, vector) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, model, chunk_id) DO UPDATE SET dims = excluded.dims, vector = excluded.vector`,
    )
    .run(tenantId, model, chunkId, vector.length, encodeVector(vector));
}

/** One page of the tenant's vectors under `model`, ordered by chunk id; the cursor is the last id. */
export function scanVectorRows(sql: StatementCache, tenantId: string, model: string, options: ScanChunksOptions = {}): VectorPage {
  const limit = options.limit ?? DEFAULT_SCAN_LIMIT;
  const after = options.cursor ?? '';
  const rows = sql
    .get('SELECT chunk_id, vector FROM chunk_vectors WHERE tenant_id = ? AND model = ? AND chunk_id > ? ORDER BY chunk_id LIMIT ?')
    .all(tenantId, model, after, limit) as Array<{ chunk_id: string; vector: Buffer }>;
  const last = rows[rows.length - 1];
  return {
    vectors: rows.map((row) => ({ chunkId: row.chunk_id, vector: decodeVector(row.vector) })),
    nextCursor: rows.length === limit && last ? last.chunk_id : null,
  };
}
