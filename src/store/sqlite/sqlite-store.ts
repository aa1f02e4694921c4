/**
 * The default Store: one SQLite file (better-sqlite3) with FTS5 for keyword search and vectors in
 * BLOBs beside the chunks. Calls are synchronous underneath and async only to honour the
 * interface shared with the PostgreSQL adapter.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ChunkRecord, DocumentRecord, NewChunk, NewDocument } from '../../core/document.ts';
import { PlumbError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json.ts';
import type {
  ApiKeyRecord,
  ChunkPage,
  EvalRunRow,
  IngestRunRecord,
  KeywordHit,
  LedgerEntry,
  LedgerRange,
  LedgerTotals,
  ListDocumentsOptions,
  ListLedgerOptions,
  PutDocumentResult,
  ScanChunksOptions,
  Store,
  VectorPage,
} from '../../core/store.ts';
import type { TraceRecord, TraceSummary } from '../../core/trace.ts';
import { insertApiKeyRow, revokeApiKeyRow, selectApiKeyByHash, selectApiKeys } from './api-keys-table.ts';
import {
  countChunkRows,
  scanChunkRows,
  selectChunks,
  selectChunksMissingVectors,
  selectDocumentChunks,
} from './chunks-table.ts';
import { BUSY_TIMEOUT_MS, openDatabase } from './connection.ts';
import { DocumentWriter } from './document-writer.ts';
import { GroupCommit } from './group-commit.ts';
import type { RowQueue } from './row-queue.ts';
import { RowWriterThread } from './row-writer-thread.ts';
import { countDocumentRows, selectDocument, selectDocuments } from './documents-table.ts';
import { selectCachedEmbeddings, upsertCachedEmbedding } from './embedding-cache-table.ts';
import {
  selectEvalCaseResults,
  selectEvalRun,
  selectEvalRuns,
  selectJudgeCache,
  selectJudgeCalibration,
  upsertEvalCaseResult,
  upsertEvalRun,
  upsertJudgeCache,
  upsertJudgeCalibration,
} from './evals-tables.ts';
import { finishIngestRunRow, insertIngestRun, selectIngestRuns } from './ingest-runs-table.ts';
import { searchKeywords } from './keyword-search.ts';
import { ledgerInsertOp, selectLedgerRows, sumLedgerRows } from './ledger-table.ts';
import { assertTenantId, toStoreError } from './sqlite-errors.ts';
import { StatementCache } from './statement-cache.ts';
import { bumpTenantWrites, otherWritersRevision } from './tenant-writes-table.ts';
import { ensureTenantRow, listTenantIds } from './tenants-table.ts';
import { DEFAULT_GROUP_COMMIT_MS } from './group-commit-default.ts';
import { selectAllTraceSummaries, selectLedgerTrace } from './ledger-traces.ts';
import { selectTrace, traceUpsertOp } from './traces-table.ts';
import { assertConsistentDims, scanVectorRows, upsertVectorRow, type ChunkVector } from './vectors-table.ts';

export interface SqliteStoreOptions {
  /** A file path (parent folders are created) or ':memory:'. */
  path: string;
  /**
   * How long ledger rows and traces may wait to be committed together (ms). Default 25
   * (DEFAULT_GROUP_COMMIT_MS): a hard crash can lose at most the rows of that window, and under
   * load one commit books many requests. 0 commits once per event-loop turn. Reads and close()
   * flush the queue first, so they never wait for the window.
   */
  groupCommitMs?: number;
  /**
   * Commit ledger rows and traces on a writer thread with its own connection (default true for a
   * file; a ':memory:' database is private to its connection, so it always commits in-process).
   */
  writerThread?: boolean;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  /** The underlying connection, for tests and maintenance (backup, integrity_check). */
  readonly db: Database.Database;
  readonly #sql: StatementCache;
  readonly #documents: DocumentWriter;
  /** Ledger rows and traces, committed in groups every `groupCommitMs` (see row-queue.ts). */
  readonly #rows: RowQueue;

  /** This instance's identity in tenant_writes: its own writes never look external to it. */
  readonly #writerId = randomBytes(8).toString('hex');

  private constructor(db: Database.Database, options: SqliteStoreOptions) {
    this.db = db;
    this.#sql = new StatementCache(db);
    this.#documents = new DocumentWriter(db, this.#sql, this.#writerId);
    const delayMs = options.groupCommitMs ?? DEFAULT_GROUP_COMMIT_MS;
    this.#rows =
      options.path !== ':memory:' && options.writerThread !== false
        ? new RowWriterThread({ path: path.resolve(options.path), delayMs, busyTimeoutMs: BUSY_TIMEOUT_MS })
        : new GroupCommit(db, this.#sql, (tenantIds) => {
            for (const tenantId of tenantIds) ensureTenantRow(this.#sql, tenantId);
          }, delayMs);
  }

  /** Opens (creating and migrating as needed) the SQLite store at `options.path`. */
  static open(options: SqliteStoreOptions): SqliteStore {
    return new SqliteStore(openDatabase(options.path), options);
  }

  /** Group transactions of ledger rows and traces committed so far (for tests and diagnostics). */
  get rowCommits(): number {
    return this.#rows.commits;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.#rows.close();
    this.db.close();
  }

  async ensureTenant(tenantId: string): Promise<void> {
    this.#tenant(tenantId, () => ensureTenantRow(this.#sql, tenantId));
  }

  async listTenants(): Promise<string[]> {
    await this.#flushRows();
    return this.#global(() => listTenantIds(this.#sql));
  }

  async getDocument(tenantId: string, documentId: string): Promise<DocumentRecord | null> {
    return this.#tenant(tenantId, () => selectDocument(this.#sql, tenantId, documentId));
  }

  async listDocuments(tenantId: string, options?: ListDocumentsOptions): Promise<DocumentRecord[]> {
    return this.#tenant(tenantId, () => selectDocuments(this.#sql, tenantId, options));
  }

  async countDocuments(tenantId: string): Promise<number> {
    return this.#tenant(tenantId, () => countDocumentRows(this.#sql, tenantId));
  }

  async putDocument(tenantId: string, document: NewDocument, chunks: NewChunk[], vectorModel?: string): Promise<PutDocumentResult> {
    return this.#tenant(tenantId, () => this.#documents.put(tenantId, document, chunks, vectorModel));
  }

  async deleteDocument(tenantId: string, documentId: string): Promise<string[] | null> {
    return this.#tenant(tenantId, () => this.#documents.delete(tenantId, documentId));
  }

  async externalRevision(tenantId: string): Promise<number> {
    return this.#tenant(tenantId, () => otherWritersRevision(this.#sql, tenantId, this.#writerId));
  }

  async getChunks(tenantId: string, chunkIds: string[]): Promise<ChunkRecord[]> {
    return this.#tenant(tenantId, () => selectChunks(this.#sql, tenantId, chunkIds));
  }

  async getDocumentChunks(tenantId: string, documentId: string): Promise<ChunkRecord[]> {
    return this.#tenant(tenantId, () => selectDocumentChunks(this.#sql, tenantId, documentId));
  }

  async scanChunks(tenantId: string, options?: ScanChunksOptions): Promise<ChunkPage> {
    return this.#tenant(tenantId, () => scanChunkRows(this.#sql, tenantId, options));
  }

  async countChunks(tenantId: string): Promise<number> {
    return this.#tenant(tenantId, () => countChunkRows(this.#sql, tenantId));
  }

  async keywordSearch(tenantId: string, query: string, limit: number): Promise<KeywordHit[]> {
    return this.#tenant(tenantId, () => searchKeywords(this.#sql, tenantId, query, limit));
  }

  async putVectors(tenantId: string, model: string, vectors: ChunkVector[]): Promise<void> {
    this.#tenant(tenantId, () =>
      this.db
        .transaction(() => {
          assertConsistentDims(this.#sql, tenantId, model, vectors.map((entry) => entry.vector));
          const chunkExists = this.#sql.get('SELECT 1 FROM chunks WHERE tenant_id = ? AND id = ?').pluck();
          for (const { chunkId, vector } of vectors) {
            if (chunkExists.get(tenantId, chunkId) === undefined) throw unknownChunk(tenantId, chunkId);
            upsertVectorRow(this.#sql, tenantId, model, chunkId, vector);
          }
          if (vectors.length > 0) bumpTenantWrites(this.#sql, tenantId, this.#writerId);
        })
        .immediate(),
    );
  }

  async scanVectors(tenantId: string, model: string, options?: ScanChunksOptions): Promise<VectorPage> {
    return this.#tenant(tenantId, () => scanVectorRows(this.#sql, tenantId, model, options));
  }

  async chunksMissingVectors(tenantId: string, model: string, limit: number): Promise<ChunkRecord[]> {
    return this.#tenant(tenantId, () => selectChunksMissingVectors(this.#sql, tenantId, model, limit));
  }

  async getCachedEmbeddings(tenantId: string, model: string, contentHashes: string[]): Promise<Map<string, Float32Array>> {
    return this.#tenant(tenantId, () => selectCachedEmbeddings(this.#sql, tenantId, model, contentHashes));
  }

  async putCachedEmbeddings(tenantId: string, model: string, entries: Array<{ contentHash: string; vector: Float32Array }>): Promise<void> {
    this.#tenant(tenantId, () =>
      this.db
        .transaction(() => {
          ensureTenantRow(this.#sql, tenantId);
          for (const { contentHash, vector } of entries) upsertCachedEmbedding(this.#sql, tenantId, model, contentHash, vector);
        })
        .immediate(),
    );
  }

  async startIngestRun(tenantId: string, info: JsonObject): Promise<IngestRunRecord> {
    return this.#tenant(tenantId, () => {
      ensureTenantRow(this.#sql, tenantId);
      return insertIngestRun(this.#sql, tenantId, info);
    });
  }

  async finishIngestRun(tenantId: string, runId: string, status: 'completed' | 'failed', report: JsonObject): Promise<void> {
    this.#tenant(tenantId, () => finishIngestRunRow(this.#sql, tenantId, runId, status, report));
  }

  async listIngestRuns(tenantId: string, limit?: number): Promise<IngestRunRecord[]> {
    return this.#tenant(tenantId, () => selectIngestRuns(this.#sql, tenantId, limit));
  }

  async saveTrace(trace: TraceRecord): Promise<void> {
    this.#checkQueueable(trace.tenantId);
    return this.#rows.enqueue(trace.tenantId, [traceUpsertOp(trace)]);
  }

  async getTrace(tenantId: string, traceId: string): Promise<TraceRecord | null> {
    await this.#flushRows();
    // A successful gateway call's trace is its ledger row (ledger-traces.ts); a stored trace wins.
    return this.#tenant(tenantId, () => selectTrace(this.#sql, tenantId, traceId) ?? selectLedgerTrace(this.#sql, tenantId, traceId));
  }

  async listTraces(tenantId: string, limit?: number): Promise<TraceSummary[]> {
    await this.#flushRows();
    return this.#tenant(tenantId, () => selectAllTraceSummaries(this.#sql, tenantId, limit));
  }

  async putEvalRun(run: EvalRunRow): Promise<void> {
    this.#tenant(run.tenantId, () => upsertEvalRun(this.#sql, run));
  }

  async getEvalRun(tenantId: string, idOrName: string): Promise<EvalRunRow | null> {
    return this.#tenant(tenantId, () => selectEvalRun(this.#sql, tenantId, idOrName));
  }

  async listEvalRuns(tenantId: string, limit?: number): Promise<EvalRunRow[]> {
    return this.#tenant(tenantId, () => selectEvalRuns(this.#sql, tenantId, limit));
  }

  async putEvalCaseResult(tenantId: string, runId: string, caseId: string, result: JsonObject): Promise<void> {
    this.#tenant(tenantId, () => upsertEvalCaseResult(this.#sql, tenantId, runId, caseId, result));
  }

  async listEvalCaseResults(tenantId: string, runId: string): Promise<Array<{ caseId: string; result: JsonObject }>> {
    return this.#tenant(tenantId, () => selectEvalCaseResults(this.#sql, tenantId, runId));
  }

  async getJudgeCache(tenantId: string, key: string): Promise<JsonObject | null> {
    return this.#tenant(tenantId, () => selectJudgeCache(this.#sql, tenantId, key));
  }

  async putJudgeCache(tenantId: string, key: string, judgeVersion: string, value: JsonObject): Promise<void> {
    this.#tenant(tenantId, () => upsertJudgeCache(this.#sql, tenantId, key, judgeVersion, value));
  }

  async putJudgeCalibration(tenantId: string, judgeVersion: string, calibration: JsonObject): Promise<void> {
    this.#tenant(tenantId, () => upsertJudgeCalibration(this.#sql, tenantId, judgeVersion, calibration));
  }

  async getJudgeCalibration(tenantId: string, judgeVersion: string): Promise<JsonObject | null> {
    return this.#tenant(tenantId, () => selectJudgeCalibration(this.#sql, tenantId, judgeVersion));
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    this.#tenant(record.tenantId, () => {
      ensureTenantRow(this.#sql, record.tenantId);
      insertApiKeyRow(this.#sql, record);
    });
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.#global(() => selectApiKeyByHash(this.#sql, keyHash));
  }

  async listApiKeys(tenantId: string): Promise<ApiKeyRecord[]> {
    return this.#tenant(tenantId, () => selectApiKeys(this.#sql, tenantId));
  }

  async revokeApiKey(tenantId: string, keyId: string): Promise<boolean> {
    return this.#tenant(tenantId, () => revokeApiKeyRow(this.#sql, tenantId, keyId));
  }

  async appendLedgerEntry(entry: LedgerEntry): Promise<void> {
    // Group-committed with the other rows of this turn; resolves once the row is stored.
    this.#checkQueueable(entry.tenantId);
    return this.#rows.enqueue(entry.tenantId, [ledgerInsertOp(entry)]);
  }

  async listLedger(tenantId: string, options?: ListLedgerOptions): Promise<LedgerEntry[]> {
    await this.#flushRows();
    return this.#tenant(tenantId, () => selectLedgerRows(this.#sql, tenantId, options));
  }

  async ledgerTotals(tenantId: string, range?: LedgerRange): Promise<LedgerTotals> {
    await this.#flushRows();
    return this.#tenant(tenantId, () => sumLedgerRows(this.#sql, tenantId, range));
  }

  /** Queued ledger rows and traces, committed now: called by every read of those tables. */
  async #flushRows(): Promise<void> {
    if (this.#rows.pending > 0 && this.db.open) await this.#rows.flush();
  }

  /** What #tenant checks, without flushing the queue: a queued write fails here, not in a batch. */
  #checkQueueable(tenantId: string): void {
    assertTenantId(tenantId);
    this.#assertOpen();
  }

  /** Runs a tenant-scoped operation: checks the tenant id, then maps SQLite errors. */
  #tenant<T>(tenantId: string, operation: () => T): T {
    assertTenantId(tenantId);
    return this.#global(operation);
  }

  #assertOpen(): void {
    if (!this.db.open) {
      throw new PlumbError('unavailable', 'The SQLite store is closed.', {
        hint: 'Open a new store with SqliteStore.open() (or openStore()) and use that one.',
        retryable: false,
      });
    }
  }

  #global<T>(operation: () => T): T {
    this.#assertOpen();
    try {
      return operation();
    } catch (err) {
      throw toStoreError(err);
    }
  }
}

function unknownChunk(tenantId: string, chunkId: string): PlumbError {
  return new PlumbError('not_found', `Tenant "${tenantId}" has no chunk "${chunkId}" to attach a vector to.`, {
    hint: 'Store the document (putDocument) before its vectors, under the same tenant.',
    details: { chunkId },
  });
}
