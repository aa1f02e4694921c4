/** Rows of the documents table and their mapping to DocumentRecord. */
import type { DocumentRecord, NewDocument } from '../../core/document.ts';
import type { ListDocumentsOptions } from '../../core/store.ts';
import { parseJsonObject } from './json-column.ts';
import type { StatementCache } from './statement-cache.ts';

interface DocumentRow {
  tenant_id: string;
  id: string;
  source: string;
  title: string | null;
  mime_type: string;
  content_hash: string;
  version: number;
  metadata: string;
  char_count: number;
  chunk_count: number;
  token_count: number;
  created_at: string;
  updated_at: string;
}

/** SQLite's "no limit": listing without a limit returns every document rather than silently truncating. */
const NO_LIMIT = -1;

function toDocumentRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    source: row.source,
    title: row.title,
    mimeType: row.mime_type,
    contentHash: row.content_hash,
    version: row.version,
    metadata: parseJsonObject(row.metadata, 'document metadata'),
    charCount: row.char_count,
    chunkCount: row.chunk_count,
    tokenCount: row.token_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One document of the tenant, or null. */
export function selectDocument(sql: StatementCache, tenantId: string, documentId: string): DocumentRecord | null {
  const row = sql.get('SELECT * FROM documents WHERE tenant_id = ? AND id = ?').get(tenantId, documentId) as
    | DocumentRow
    | undefined;
  return row ? toDocumentRecord(row) : null;
}

/** The tenant's documents ordered by source, then id (all of them unless a limit is given). */
export function selectDocuments(sql: StatementCache, tenantId: string, options: ListDocumentsOptions = {}): DocumentRecord[] {
  const limit = options.limit ?? NO_LIMIT;
  const offset = options.offset ?? 0;
  const rows =
    options.sourcePrefix === undefined
      ? sql.get('SELECT * FROM documents WHERE tenant_id = ? ORDER BY source, id LIMIT ? OFFSET ?').all(tenantId, limit, offset)
      : // substr, not LIKE: a prefix may contain % or _ and must match literally.
        sql
          .get(
            `SELECT * FROM documents WHERE tenant_id = ? AND substr(source, 1, length(?)) = ?
             ORDER BY source, id LIMIT ? OFFSET ?`,
          )
          .all(tenantId, options.sourcePrefix, options.sourcePrefix, limit, offset);
  return (rows as DocumentRow[]).map(toDocumentRecord);
}

/** Number of documents of the tenant. */
export function countDocumentRows(sql: StatementCache, tenantId: string): number {
  return sql.get('SELECT count(*) FROM documents WHERE tenant_id = ?').pluck().get(tenantId) as number;
}

/** Inserts a document at version 1. */
export function insertDocumentRow(sql: StatementCache, tenantId: string, doc: NewDocument, chunkCount: number, now: string): void {
  sql
    .get(
      `INSERT INTO documents (tenant_id, id, source, title, mime_type, content_hash, version, metadata,
         char_count, chunk_count, token_count, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
    )
    .run(tenantId, doc.id, doc.source, doc.title, doc.mimeType, doc.contentHash, JSON.stringify(doc.metadata),
      doc.charCount, chunkCount, doc.tokenCount, now, now);
}

/** Overwrites a document's fields and bumps its version. */
export function replaceDocumentRow(sql: StatementCache, tenantId: string, doc: NewDocument, chunkCount: number, now: string): void {
  sql
    .get(
      `UPDATE documents SET source = ?, title = ?, mime_type = ?, content_hash = ?, version = version + 1,
         metadata = ?, char_count = ?, chunk_count = ?, token_count = ?, updated_at = ?
       WHERE tenant_id = ? AND id = ?`,
    )
    .run(doc.source, doc.title, doc.mimeType, doc.contentHash, JSON.stringify(doc.metadata), doc.charCount,
      chunkCount, doc.tokenCount, now, tenantId, doc.id);
}

/** Deletes a document; its chunks, their FTS entries and vectors go with it (cascade + triggers). */
export function deleteDocumentRow(sql: StatementCache, tenantId: string, documentId: string): boolean {
  return sql.get('DELETE FROM documents WHERE tenant_id = ? AND id = ?').run(tenantId, documentId).changes > 0;
}
