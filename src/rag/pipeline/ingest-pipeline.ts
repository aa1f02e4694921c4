/**
 * Ingestion: files or posted texts → loader → chunker → store (one transaction per document) →
 * retriever index. Bad inputs are reported and skipped; the batch goes on. Vectors are filled in
 * afterwards by the VectorBackfill, so keyword search works as soon as a document is committed.
 */
import type { ChunkRecord, DocumentInput, NewChunk } from '../../core/document.ts';
import { toPlumbError } from '../../core/errors.ts';
import { sha256 } from '../../core/hash.ts';
import type { JsonObject } from '../../core/json.ts';
import type { Store } from '../../core/store.ts';
import type { TokenEncoding } from '../../core/tokenizer.ts';
import { span } from '../../observe/tracer.ts';
import {
  chunkDocument,
  discoverFiles,
  loadFile,
  emptyIngestReport,
  ProgressBar,
  type IngestReport,
  type LoadOptions,
} from '../ingest/index.ts';
import type { Retriever } from '../retrieve/index.ts';
import { chunkIdFor, documentIdFor } from './chunk-identity.ts';
import type { VectorBackfill } from './vector-backfill.ts';

export interface IngestDeps {
  store: Store;
  retriever: Retriever;
  backfill: VectorBackfill | null;
  chunking: { maxTokens: number; overlapTokens: number; encoding: TokenEncoding };
  loading: LoadOptions;
  exclude: string[];
  include?: string[];
}

export interface IngestOptions {
  tenantId: string;
  /** Show a progress bar on stderr. */
  progress?: boolean;
  /** Wait until every new chunk has its vector (CLI, evals); the server lets it run in the background. */
  waitForVectors?: boolean;
  exclude?: string[];
  signal?: AbortSignal;
}

export interface IngestResult extends IngestReport {
  /** Ids of the documents that were inserted, replaced or unchanged, in input order. */
  documentIds: string[];
  /** Ids of documents whose content changed (cached answers resting on them are stale). */
  replacedDocumentIds: string[];
  runId: string;
}

/** Ingests files and directories. */
export async function ingestPaths(deps: IngestDeps, paths: string[], options: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  const report = emptyIngestReport();
  const discovered = await discoverFiles(paths, {
    exclude: [...deps.exclude, ...(options.exclude ?? [])],
    ...(deps.include ? { include: deps.include } : {}),
    respectIgnoreFiles: true,
    ...(deps.loading.maxFileBytes !== undefined ? { maxFileBytes: deps.loading.maxFileBytes } : {}),
  });
  for (const s of discovered.skipped) report.skipped.push({ path: s.path, reason: s.reason, message: s.message });

  const documents: DocumentInput[] = [];
  const loadBar = new ProgressBar({ label: 'loading', total: discovered.files.length, enabled: (options.progress ?? false) && discovered.files.length > 20 });
  for (const file of discovered.files) {
    if (options.signal?.aborted) break;
    const loaded = await loadFile(file.path, deps.loading);
    if (loaded.ok) {
      documents.push(...loaded.documents);
      report.warnings.push(...loaded.warnings.map((w) => `${file.path}: ${w}`));
    } else report.skipped.push({ path: file.path, reason: loaded.reason, message: loaded.message });
    loadBar.tick();
  }
  loadBar.done();
  return ingestLoaded(deps, documents, options, report, started, { paths });
}

/** Ingests documents that are already loaded (posted text, uploads, library calls). */
export async function ingestDocuments(deps: IngestDeps, documents: DocumentInput[], options: IngestOptions): Promise<IngestResult> {
  return ingestLoaded(deps, documents, options, emptyIngestReport(), performance.now(), { documents: documents.length });
}

async function ingestLoaded(
  deps: IngestDeps,
  documents: DocumentInput[],
  options: IngestOptions,
  report: IngestReport,
  started: number,
  runInfo: JsonObject,
): Promise<IngestResult> {
  const { tenantId } = options;
  const run = await deps.store.startIngestRun(tenantId, runInfo);
  const documentIds: string[] = [];
  const replacedDocumentIds: string[] = [];
  const bar = new ProgressBar({ label: 'ingesting', total: documents.length, unit: 'docs', enabled: options.progress ?? false });
  try {
    for (const doc of documents) {
      if (options.signal?.aborted) break;
      try {
        const outcome = await ingestOne(deps, tenantId, doc);
        if (outcome.status === 'empty') {
          report.skipped.push({ path: doc.source, reason: 'empty', message: 'no text to index after chunking' });
        } else {
          report.documents[outcome.status] += 1;
          report.chunks += outcome.chunks;
          report.tokens += outcome.tokens;
          documentIds.push(outcome.documentId);
          if (outcome.status === 'replaced') replacedDocumentIds.push(outcome.documentId);
        }
      } catch (error) {
        report.documents.failed += 1;
        report.skipped.push({ path: doc.source, reason: 'failed', message: toPlumbError(error).message });
      }
      bar.tick();
    }
    bar.done();
    if (deps.backfill && options.waitForVectors) {
      // Mostly this run's new chunks; leftovers of an interrupted run raise the total as they show up.
      const vectorBar = new ProgressBar({ label: 'embedding', total: report.chunks, unit: 'chunks', enabled: (options.progress ?? false) && report.chunks > 0 });
      await deps.backfill.run(tenantId, (p) => {
        if (p.done > report.chunks) vectorBar.setTotal(p.done);
        vectorBar.set(p.done);
      });
      vectorBar.done();
    } else if (deps.backfill) {
      void deps.backfill.run(tenantId).catch((error: unknown) => {
        process.stderr.write(`plumb: embedding in the background failed: ${toPlumbError(error).message}\n`);
      });
    }
  } catch (error) {
    finalize(report, started);
    await deps.store.finishIngestRun(tenantId, run.id, 'failed', report as unknown as JsonObject);
    throw error;
  }
  finalize(report, started);
  await deps.store.finishIngestRun(tenantId, run.id, 'completed', report as unknown as JsonObject);
  return { ...report, documentIds, replacedDocumentIds, runId: run.id };
}

type Outcome = { status: 'inserted' | 'replaced' | 'unchanged' | 'empty'; documentId: string; chunks: number; tokens: number };

async function ingestOne(deps: IngestDeps, tenantId: string, doc: DocumentInput): Promise<Outcome> {
  const documentId = documentIdFor(doc);
  const contentHash = sha256(doc.text);
  const existing = await deps.store.getDocument(tenantId, documentId);
  // Unchanged content: skip before chunking, the expensive part.
  if (existing && existing.contentHash === contentHash) return { status: 'unchanged', documentId, chunks: 0, tokens: 0 };

  const drafts = chunkDocument({ text: doc.text, mimeType: doc.mimeType }, deps.chunking);
  if (drafts.length === 0) return { status: 'empty', documentId, chunks: 0, tokens: 0 };
  const title = doc.title ?? null;
  const baseMetadata: JsonObject = { ...(doc.metadata ?? {}), source: doc.source, ...(title ? { title } : {}) };
  const chunks: NewChunk[] = drafts.map((draft, ordinal) => ({
    ...draft,
    id: chunkIdFor(documentId, ordinal, draft.text),
    documentId,
    ordinal,
    contentHash: sha256(draft.text),
    metadata: baseMetadata,
  }));
  const tokenCount = chunks.reduce((sum, c) => sum + c.tokenCount, 0);
  const result = await span('ingest.document', { 'plumb.document.id': documentId, 'plumb.chunks': chunks.length }, () =>
    deps.store.putDocument(tenantId, {
      id: documentId,
      source: doc.source,
      title,
      mimeType: doc.mimeType,
      contentHash,
      metadata: doc.metadata ?? {},
      charCount: doc.text.length,
      tokenCount,
    }, chunks),
  );
  if (result.status === 'unchanged') return { status: 'unchanged', documentId, chunks: 0, tokens: 0 };
  const added: ChunkRecord[] = chunks.map((c) => ({ ...c, tenantId }));
  // A chunk id that survives a replacement has the same text (ids are content-addressed), so it
  // keeps its vector; re-adding it only refreshes its BM25 entry and metadata.
  deps.retriever.applyChanges(tenantId, { added, removedChunkIds: result.removedChunkIds });
  return { status: result.status, documentId, chunks: chunks.length, tokens: tokenCount };
}

function finalize(report: IngestReport, started: number): void {
  report.durationMs = Math.round(performance.now() - started);
  const seconds = Math.max(report.durationMs / 1000, 1e-3);
  report.chunksPerSecond = Math.round(report.chunks / seconds);
  report.tokensPerSecond = Math.round(report.tokens / seconds);
}
