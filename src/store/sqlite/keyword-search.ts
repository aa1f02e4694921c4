/** BM25 keyword search over the FTS5 index, scoped to one tenant. */
import type { KeywordHit } from '../../core/store.ts';
import { toFtsQuery } from './fts-query.ts';
import type { StatementCache } from './statement-cache.ts';

/**
 * The tenant's best chunks for `query`, best first, score = -bm25 (higher is better).
 * Note: FTS5 keeps one index, so bm25's document frequencies count every tenant's chunks;
 * scores shift slightly with other tenants' data, results never include them.
 */
export function searchKeywords(sql: StatementCache, tenantId: string, query: string, limit: number): KeywordHit[] {
  const match = toFtsQuery(query);
  if (match === null || limit <= 0) return [];
  const rows = sql
    .get(
      `SELECT c.id AS chunk_id, bm25(chunks_fts) AS rank
       FROM chunks_fts JOIN chunks c ON c.seq = chunks_fts.rowid
       WHERE chunks_fts MATCH ? AND c.tenant_id = ?
       ORDER BY rank, c.seq LIMIT ?`,
    )
    .all(match, tenantId, limit) as Array<{ chunk_id: string; rank: number }>;
  return rows.map((row) => ({ chunkId: row.chunk_id, score: -row.rank }));
}
