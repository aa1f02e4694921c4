/** Rows of the chunks table and their mapping to ChunkRecord. */
import type { ChunkRecord, NewChunk } from '../../core/document.ts';
import type { ChunkPage, ScanChunksOptions } from '../../core/store.ts';
import { parseJsonColumn, parseJsonObject } from './json-column.ts';
import { parseSeqCursor } from './scan-cursor.ts';
import type { StatementCache } from './statement-cache.ts';

interface ChunkRow {
  seq: number;
  tenant_id: string;
  id: string;
  document_id: string;
  ordinal: number;
  text: string;
  heading_path: string;
  char_start: number;
  char_end: number;
  token_count: number;
  content_hash: string;
  metadata: string;
}

export const DEFAULT_SCAN_LIMIT = 1000;

function toChunkRecord(row: ChunkRow): ChunkRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    documentId: row.document_id,
    ordinal: row.ordinal,
    text: row.text,
    headingPath: parseJsonColumn<string[]>(row.heading_path, 'chunk heading path'),
    charStart: row.char_start,
    charEnd: row.char_end,
    tokenCount: row.token_count,
    contentHash: row.content_hash,
    metadata: parseJsonObject(row.metadata, 'chunk metadata'),
  };
}

/**
 * Inserts the chunk, or updates it in place when the document already has a chunk with this id
 * (so its vector survives a re-ingest). Returns false when the id belongs to another document of
 * the tenant: the caller must not steal it.
 */
export function upsertChunkRow(sql: StatementCache, tenantId: string, documentId: string, chunk: NewChunk): boolean {
  const result = sql
    .get(
      `INSERT INTO chunks (tenant_id, id, document_id, ordinal, text, heading_path, char_start, char_end,
         token_count, content_hash, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, id) DO UPDATE SET
         ordinal = excluded.ordinal, text = excluded.text, heading_path = excluded.heading_path,
         char_start = excluded.char_start, char_end = excluded.char_end, token_count = excluded.token_count,
         content_hash = excluded.content_hash, metadata = excluded.metadata
       WHERE chunks.document_id = excluded.document_id`,
    )
    .run(tenantId, chunk.id, documentId, chunk.ordinal, chunk.text, JSON.stringify(chunk.headingPath), chunk.charStart,
      chunk.charEnd, chunk.tokenCount, chunk.contentHash, JSON.stringify(chunk.metadata));
  return result.changes > 0;
}

/** Deletes one chunk (its FTS entry and vectors follow through trigger and cascade). */
export function deleteChunkRow(sql: StatementCache, tenantId: string, chunkId: string): void {
  sql.get('DELETE FROM chunks WHERE tenant_id = ? AND id = ?').run(tenantId, chunkId);
}

/** Ids of a document's chunks in ordinal order. */
export function selectDocumentChunkIds(sql: StatementCache, tenantId: string, documentId: string): string[] {
  return sql
    .get('SELECT id FROM chunks WHERE tenant_id = ? AND document_id = ? ORDER BY ordinal')
    .pluck()
    .all(tenantId, documentId) as string[];
}

/** The tenant's chunks with these ids, in the order asked; unknown ids are left out. */
export function selectChunks(sql: StatementCache, tenantId: string, chunkIds: string[]): ChunkRecord[] {
  const statement = sql.get('SELECT * FROM chunks WHERE tenant_id = ? AND id = ?');
  const found: ChunkRecord[] = [];
  for (const id of chunkIds) {
    const row = statement.get(tenantId, id) as ChunkRow | undefined;
    if (row) found.push(toChunkRecord(row));
  }
  return found;
}

/** A document's chunks in ordinal order. */
export function selectDocumentChunks(sql: StatementCache, tenantId: string, documentId: string): ChunkRecord[] {
  const rows = sql.get('SELECT * FROM chunks WHERE tenant_id = ? AND document_id = ? ORDER BY ordinal').all(tenantId, documentId);
  return (rows as ChunkRow[]).map(toChunkRecord);
}

/** One page of the tenant's chunks in insertion order; the cursor is the last row's seq. */
export function scanChunkRows(sql: StatementCache, tenantId: string, options: ScanChunksOptions = {}): ChunkPage {
  const limit = options.limit ?? DEFAULT_SCAN_LIMIT;
  const after = parseSeqCursor(options.cursor);
  const rows = sql
    .get('SELECT * FROM chunks WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?')
    .all(tenantId, after, limit) as ChunkRow[];
  const last = rows[rows.length - 1];
  return {
    chunks: rows.map(toChunkRecord),
    nextCursor: rows.length === limit && last ? String(last.seq) : null,
  };
}

/** Number of chunks of the tenant. */
export function countChunkRows(sql: StatementCache, tenantId: string): number {
  return sql.get('SELECT count(*) FROM chunks WHERE tenant_id = ?').pluck().get(tenantId) as number;
}

/** The tenant's chunks that have no vector under `model`, oldest first. */
export function selectChunksMissingVectors(sql: StatementCache, tenantId: string, model: string, limit: number): ChunkRecord[] {
  const rows = sql
    .get(
      `SELECT c.* FROM chunks c
       WHERE c.tenant_id = ? AND NOT EXISTS (
         SELECT 1 FROM chunk_vectors v WHERE v.tenant_id = c.tenant_id AND v.model = ? AND v.chunk_id = c.id)
       ORDER BY c.seq LIMIT ?`,
    )
    .all(tenantId, model, limit) as ChunkRow[];
  return rows.map(toChunkRecord);
}
