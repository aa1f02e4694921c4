/**
 * Writes and deletes a document with its chunks and vectors as one transaction, so a reader (or a
 * process that reopens after a crash) sees the whole old document or the whole new one.
 */
import type Database from 'better-sqlite3';
import type { NewChunk, NewDocument } from '../../core/document.ts';
import { PlumbError } from '../../core/errors.ts';
import type { PutDocumentResult } from '../../core/store.ts';
import { deleteChunkRow, selectDocumentChunkIds, upsertChunkRow } from './chunks-table.ts';
import { deleteDocumentRow, insertDocumentRow, replaceDocumentRow, selectDocument } from './documents-table.ts';
import type { StatementCache } from './statement-cache.ts';
import { bumpTenantWrites } from './tenant-writes-table.ts';
import { ensureTenantRow } from './tenants-table.ts';
import { assertConsistentDims, upsertVectorRow } from './vectors-table.ts';

type PutArgs = [tenantId: string, doc: NewDocument, chunks: NewChunk[], vectorModel: string | undefined];

export class DocumentWriter {
  readonly #sql: StatementCache;
  readonly #put: (...args: PutArgs) => PutDocumentResult;
  readonly #delete: (tenantId: string, documentId: string) => string[] | null;

  readonly #writerId: string;

  /** `writerId` names this store instance in the tenant write counters (tenant-writes-table.ts). */
  constructor(db: Database.Database, sql: StatementCache, writerId: string) {
    this.#sql = sql;
    this.#writerId = writerId;
    // IMMEDIATE: take the write lock before reading, so a concurrent writer makes us wait
    // (busy_timeout) instead of failing when a read transaction tries to become a write.
    const put = db.transaction((...args: PutArgs) => this.#putInTransaction(...args));
    const remove = db.transaction((tenantId: string, documentId: string) => this.#deleteInTransaction(tenantId, documentId));
    this.#put = (...args) => put.immediate(...args);
    this.#delete = (tenantId, documentId) => remove.immediate(tenantId, documentId);
  }

  /** Inserts, replaces or leaves the document as it is, per its content hash. */
  put(tenantId: string, doc: NewDocument, chunks: NewChunk[], vectorModel: string | undefined): PutDocumentResult {
    assertWritable(doc, chunks, vectorModel);
    return this.#put(tenantId, doc, chunks, vectorModel);
  }

  /** Deletes the document and everything under it; its chunk ids, or null if it did not exist. */
  delete(tenantId: string, documentId: string): string[] | null {
    return this.#delete(tenantId, documentId);
  }

  #putInTransaction(tenantId: string, doc: NewDocument, chunks: NewChunk[], vectorModel: string | undefined): PutDocumentResult {
    const sql = this.#sql;
    ensureTenantRow(sql, tenantId);
    const existing = selectDocument(sql, tenantId, doc.id);
    if (existing && existing.contentHash === doc.contentHash) {
      return { status: 'unchanged', document: existing, removedChunkIds: [] };
    }

    const now = new Date().toISOString();
    let removedChunkIds: string[] = [];
    if (existing) {
      const keptIds = new Set(chunks.map((chunk) => chunk.id));
      removedChunkIds = selectDocumentChunkIds(sql, tenantId, doc.id).filter((id) => !keptIds.has(id));
      for (const id of removedChunkIds) deleteChunkRow(sql, tenantId, id);
      // The document row changes before its chunks so the FTS triggers index the new title.
      replaceDocumentRow(sql, tenantId, doc, chunks.length, now);
    } else {
      insertDocumentRow(sql, tenantId, doc, chunks.length, now);
    }

    for (const chunk of chunks) {
      if (!upsertChunkRow(sql, tenantId, doc.id, chunk)) throw chunkOwnedElsewhere(chunk.id, doc.id);
    }
    if (vectorModel !== undefined) this.#writeInlineVectors(tenantId, chunks, vectorModel);

    bumpTenantWrites(sql, tenantId, this.#writerId);
    const document = selectDocument(sql, tenantId, doc.id);
    if (!document) throw new PlumbError('internal', `Document "${doc.id}" vanished inside its own write transaction.`);
    return { status: existing ? 'replaced' : 'inserted', document, removedChunkIds };
  }

  #writeInlineVectors(tenantId: string, chunks: NewChunk[], vectorModel: string): void {
    const withVectors = chunks.filter((chunk): chunk is NewChunk & { vector: Float32Array } => chunk.vector !== undefined);
    assertConsistentDims(this.#sql, tenantId, vectorModel, withVectors.map((chunk) => chunk.vector));
    for (const chunk of withVectors) upsertVectorRow(this.#sql, tenantId, vectorModel, chunk.id, chunk.vector);
  }

  #deleteInTransaction(tenantId: string, documentId: string): string[] | null {
    const chunkIds = selectDocumentChunkIds(this.#sql, tenantId, documentId);
    if (!deleteDocumentRow(this.#sql, tenantId, documentId)) return null;
    bumpTenantWrites(this.#sql, tenantId, this.#writerId);
    return chunkIds;
  }
}

/** Checks what can be checked before a transaction starts. */
function assertWritable(doc: NewDocument, chunks: NewChunk[], vectorModel: string | undefined): void {
  const seen = new Set<string>();
  for (const chunk of chunks) {
    if (seen.has(chunk.id)) {
      throw new PlumbError('bad_request', `Document "${doc.id}" lists chunk id "${chunk.id}" twice.`, {
        hint: 'Chunk ids must be unique within a tenant; derive them from the document id, ordinal and text.',
      });
    }
    seen.add(chunk.id);
    if (chunk.vector !== undefined && vectorModel === undefined) {
      throw new PlumbError('bad_request', `Chunk "${chunk.id}" carries a vector but no vectorModel was given.`, {
        hint: 'Pass the embedding model id as putDocument’s vectorModel argument, or leave the vectors out.',
      });
    }
  }
}

function chunkOwnedElsewhere(chunkId: string, documentId: string): PlumbError {
  return new PlumbError('conflict', `Chunk id "${chunkId}" of document "${documentId}" already belongs to another document.`, {
    hint: 'Chunk ids must be unique within a tenant: include the document id when deriving them.',
    details: { chunkId, documentId },
  });
}
