/**
 * Persistence behind one async interface. Every method takes the tenant id and every row carries
 * it; nothing engine-specific leaks out, so SQLite (default) and PostgreSQL + pgvector adapters
 * share one contract test suite.
 */
import type { ChunkRecord, DocumentRecord, NewChunk, NewDocument } from './document.ts';
import type { JsonObject } from './json.ts';
import type { TraceRecord, TraceSummary } from './trace.ts';

export type PutDocumentStatus = 'inserted' | 'replaced' | 'unchanged';

export interface PutDocumentResult {
  status: PutDocumentStatus;
  document: DocumentRecord;
  /** Chunk ids removed by a replacement (indexes drop them). */
  removedChunkIds: string[];
}

export interface ListDocumentsOptions {
  limit?: number;
  offset?: number;
  sourcePrefix?: string;
}

export interface ScanChunksOptions {
  /** Resume after this position (opaque cursor from the previous page). */
  cursor?: string | null;
  limit?: number;
}

export interface ChunkPage {
  chunks: ChunkRecord[];
  /** Null when there is nothing more. */
  nextCursor: string | null;
}

export interface VectorPage {
  vectors: Array<{ chunkId: string; vector: Float32Array }>;
  nextCursor: string | null;
}

export interface KeywordHit {
  chunkId: string;
  /** Engine score, higher is better (FTS5 bm25 negated). */
  score: number;
}

export interface IngestRunRecord {
  id: string;
  tenantId: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'completed' | 'failed';
  /** The ingest report: counts, skipped files with reasons, timings. */
  report: JsonObject;
}

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  /** sha256 of the secret; the secret itself is never stored. */
  keyHash: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A stored evaluation run: its summary is the evals module's JSON (golden set hash, config, aggregates). */
export interface EvalRunRow {
  id: string;
  tenantId: string;
  name: string;
  createdAt: string;
  status: 'running' | 'completed' | 'failed';
  summary: JsonObject;
}

/** Whether a response came from one of the gateway's caches. */
export type LedgerCacheHit = 'none' | 'exact' | 'semantic';

/**
 * One row of the cost ledger: one model request as the gateway finally answered it. Cost is an
 * integer number of nano-dollars (1e-9 USD): each row is rounded once when it is booked, and
 * every total is an integer sum of rows, so totals equal the sum of rows exactly (no float drift)
 * and stay exact up to 9e15 nano-dollars (about 9 million USD) per total.
 */
export interface LedgerEntry {
  id: string;
  tenantId: string;
  /** What the caller asked for: a model alias or route name. */
  route: string;
  /** The provider that answered (after any fallback). */
  provider: string;
  /** The model that answered. */
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache (part of inputTokens). */
  cachedInputTokens: number;
  /** Input tokens written to the provider's prompt cache (part of inputTokens; Anthropic bills them at 1.25 × input). */
  cacheWriteInputTokens: number;
  /** Reasoning tokens (part of outputTokens). */
  reasoningTokens: number;
  /** Integer nano-dollars (1e-9 USD). */
  costNanoUsd: number;
  cacheHit: LedgerCacheHit;
  /** From the call until the final outcome (the last streamed event, or the error). */
  latencyMs: number;
  /** Streams only: until the first text or tool-call delta; null when none came. */
  firstTokenMs: number | null;
  /** "ok", or the error code the request ended with (e.g. "upstream_error", "cancelled"). */
  status: string;
  streamed: boolean;
  /** Upstream calls made for this one request (retries and fallbacks included). */
  attempts: number;
  tags: string[];
  /** ISO-8601 UTC with milliseconds. */
  createdAt: string;
  requestId: string;
  traceId: string | null;
}

/** A time window over the ledger: `since` inclusive, `until` exclusive, so adjacent windows add up. */
export interface LedgerRange {
  since?: string;
  until?: string;
}

export interface ListLedgerOptions extends LedgerRange {
  /** Default: every row in the range. */
  limit?: number;
  /** Default 'asc' (oldest first). */
  order?: 'asc' | 'desc';
}

/** Sums over the ledger rows of one tenant in a range, computed from those rows. */
export interface LedgerTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  reasoningTokens: number;
  /** The exact sum of the rows' costNanoUsd. */
  costNanoUsd: number;
  /** costNanoUsd / 1e9, converted once from the exact sum. */
  costUsd: number;
}

export interface Store {
  /** e.g. "sqlite"; shown in /healthz. */
  readonly kind: string;
  close(): Promise<void>;

  ensureTenant(tenantId: string): Promise<void>;
  listTenants(): Promise<string[]>;

  getDocument(tenantId: string, documentId: string): Promise<DocumentRecord | null>;
  listDocuments(tenantId: string, options?: ListDocumentsOptions): Promise<DocumentRecord[]>;
  countDocuments(tenantId: string): Promise<number>;
  /**
   * Writes a document with all its chunks (and their vectors, when given) in one transaction.
   * Unchanged content hash → nothing is written ('unchanged'); a changed document has its chunks
   * replaced atomically and its version bumped ('replaced').
   */
  putDocument(tenantId: string, document: NewDocument, chunks: NewChunk[], vectorModel?: string): Promise<PutDocumentResult>;
  /** Deletes a document and its chunks; returns the removed chunk ids, or null if it did not exist. */
  deleteDocument(tenantId: string, documentId: string): Promise<string[] | null>;

  /**
   * A number that changes when another Store instance (another process on the same database)
   * writes this tenant's documents, chunks or vectors, and never for this instance's own writes.
   * In-memory indexes compare it to know when to reload.
   */
  externalRevision(tenantId: string): Promise<number>;

  getChunks(tenantId: string, chunkIds: string[]): Promise<ChunkRecord[]>;
  getDocumentChunks(tenantId: string, documentId: string): Promise<ChunkRecord[]>;
  /** Pages through every chunk of a tenant in a stable order (to build in-memory indexes). */
  scanChunks(tenantId: string, options?: ScanChunksOptions): Promise<ChunkPage>;
  countChunks(tenantId: string): Promise<number>;
  /** Full-text search in the engine's own index (FTS5 in SQLite). */
  keywordSearch(tenantId: string, query: string, limit: number): Promise<KeywordHit[]>;

  /** Stores vectors for existing chunks under an embedding model id. */
  putVectors(tenantId: string, model: string, vectors: Array<{ chunkId: string; vector: Float32Array }>): Promise<void>;
  scanVectors(tenantId: string, model: string, options?: ScanChunksOptions): Promise<VectorPage>;
  /** Chunk ids of the tenant that have no vector under `model` yet. */
  chunksMissingVectors(tenantId: string, model: string, limit: number): Promise<ChunkRecord[]>;

  /** Embedding cache keyed by (tenant, model, content hash): re-ingest never re-embeds unchanged text. */
  getCachedEmbeddings(tenantId: string, model: string, contentHashes: string[]): Promise<Map<string, Float32Array>>;
  putCachedEmbeddings(tenantId: string, model: string, entries: Array<{ contentHash: string; vector: Float32Array }>): Promise<void>;

  startIngestRun(tenantId: string, info: JsonObject): Promise<IngestRunRecord>;
  finishIngestRun(tenantId: string, runId: string, status: 'completed' | 'failed', report: JsonObject): Promise<void>;
  listIngestRuns(tenantId: string, limit?: number): Promise<IngestRunRecord[]>;

  saveTrace(trace: TraceRecord): Promise<void>;
  getTrace(tenantId: string, traceId: string): Promise<TraceRecord | null>;
  listTraces(tenantId: string, limit?: number): Promise<TraceSummary[]>;

  /** Creates or replaces an evaluation run's row. */
  putEvalRun(run: EvalRunRow): Promise<void>;
  /** A run by id, or else the newest run with that name. */
  getEvalRun(tenantId: string, idOrName: string): Promise<EvalRunRow | null>;
  listEvalRuns(tenantId: string, limit?: number): Promise<EvalRunRow[]>;
  /** Stores one case's result as soon as it is known, so a killed run resumes where it stopped. */
  putEvalCaseResult(tenantId: string, runId: string, caseId: string, result: JsonObject): Promise<void>;
  /** Case results of a run, in the order they were first stored. */
  listEvalCaseResults(tenantId: string, runId: string): Promise<Array<{ caseId: string; result: JsonObject }>>;

  /** Judge outputs cached by a key that includes the judge's version and its whole input. */
  getJudgeCache(tenantId: string, key: string): Promise<JsonObject | null>;
  putJudgeCache(tenantId: string, key: string, judgeVersion: string, value: JsonObject): Promise<void>;
  /** A judge's agreement with human labels, stored with the judge version it measured. */
  putJudgeCalibration(tenantId: string, judgeVersion: string, calibration: JsonObject): Promise<void>;
  getJudgeCalibration(tenantId: string, judgeVersion: string): Promise<JsonObject | null>;

  putApiKey(record: ApiKeyRecord): Promise<void>;
  /**
   * Looks a key up by the hash of its secret. The one query without a tenant id: it is how a
   * request finds its tenant.
   */
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  listApiKeys(tenantId: string): Promise<ApiKeyRecord[]>;
  revokeApiKey(tenantId: string, keyId: string): Promise<boolean>;

  /** Books one request in the cost ledger; an id that is already booked is refused (conflict). */
  appendLedgerEntry(entry: LedgerEntry): Promise<void>;
  /** The tenant's ledger rows in [since, until), in booking order. */
  listLedger(tenantId: string, options?: ListLedgerOptions): Promise<LedgerEntry[]>;
  /** Totals of the tenant's ledger rows in [since, until), summed from the rows. */
  ledgerTotals(tenantId: string, range?: LedgerRange): Promise<LedgerTotals>;
}
