/**
 * One tenant's in-memory retrieval state: a BM25 index over chunk text (document title and
 * headings as a separate, weighted field), a vector index once vectors exist, and the few chunk
 * and document facts that filters need. Full chunk records stay in the store and are fetched
 * only for the final hits, which keeps 100k chunks at tens of MB instead of their full text.
 */
import type { ChunkRecord } from '../../core/document.ts';
import type { JsonObject } from '../../core/json.ts';
import type { Store } from '../../core/store.ts';
import { createAnalyzer, type Analyzer, type AnalyzerOptions } from './analyzer.ts';
import { Bm25Index } from './bm25-index.ts';
import type { FilterableChunk } from './retrieval-filter.ts';
import { VectorIndex } from './vector-index.ts';

export interface TenantIndexOptions {
  k1: number;
  b: number;
  titleWeight: number;
  analyzer: AnalyzerOptions;
}

export interface DocumentInfo {
  id: string;
  title: string | null;
  source: string;
}

interface ChunkInfo {
  documentId: string;
  metadata: JsonObject;
}

const PAGE_SIZE = 1000;

/** Retrieval state of one tenant, built from the store and kept current by incremental changes. */
export class TenantIndex {
  readonly analyze: Analyzer;
  readonly bm25: Bm25Index;
  vectors: VectorIndex | undefined;
  private readonly chunks = new Map<string, ChunkInfo>();
  private readonly documents = new Map<string, DocumentInfo>();
  /** Documents of indexed chunks whose title and source have not been fetched yet. */
  private readonly unknownDocuments = new Set<string>();

  constructor(
    readonly tenantId: string,
    options: TenantIndexOptions,
  ) {
    this.analyze = createAnalyzer(options.analyzer);
    this.bm25 = new Bm25Index({
      k1: options.k1,
      b: options.b,
      fields: { title: { weight: options.titleWeight }, text: {} },
      analyzer: this.analyze,
    });
  }

  /** Reads every chunk (and, with a model, every vector) of the tenant from the store. */
  async load(store: Store, vectorModel: string | undefined): Promise<void> {
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await store.listDocuments(this.tenantId, { limit: PAGE_SIZE, offset });
      for (const doc of page) this.documents.set(doc.id, { id: doc.id, title: doc.title, source: doc.source });
      if (page.length < PAGE_SIZE) break;
    }
    let cursor: string | null = null;
    do {
      const page = await store.scanChunks(this.tenantId, { cursor, limit: PAGE_SIZE });
      for (const chunk of page.chunks) this.addChunk(chunk);
      cursor = page.nextCursor;
    } while (cursor !== null);
    this.bm25.shrinkToFit();
    if (vectorModel === undefined) return;
    cursor = null;
    do {
      const page = await store.scanVectors(this.tenantId, vectorModel, { cursor, limit: PAGE_SIZE });
      for (const { chunkId, vector } of page.vectors) this.addVector(chunkId, vector);
      cursor = page.nextCursor;
    } while (cursor !== null);
  }

  /** Number of chunks indexed for keyword search. */
  get chunkCount(): number {
    return this.chunks.size;
  }

  /** Number of chunks with a vector. */
  get vectorCount(): number {
    return this.vectors?.size ?? 0;
  }

  /** Indexes (or re-indexes) one chunk's text. */
  addChunk(chunk: ChunkRecord): void {
    this.chunks.set(chunk.id, { documentId: chunk.documentId, metadata: chunk.metadata });
    if (!this.documents.has(chunk.documentId)) this.unknownDocuments.add(chunk.documentId);
    const title = this.titleFor(chunk);
    this.bm25.add(chunk.id, { title: [title, ...chunk.headingPath].join('\n'), text: chunk.text });
  }

  /** Adds a chunk's vector; ignored for chunks this index does not hold (deleted meanwhile). */
  addVector(chunkId: string, vector: Float32Array): void {
    if (!this.chunks.has(chunkId)) return;
    this.vectors ??= new VectorIndex(vector.length);
    // A vector of another width means the embedding model changed: start the vector index over.
    if (vector.length !== this.vectors.dimensions) this.vectors = new VectorIndex(vector.length);
    this.vectors.add(chunkId, vector);
  }

  /** Drops a chunk from every index. */
  removeChunk(chunkId: string): void {
    this.chunks.delete(chunkId);
    this.bm25.remove(chunkId);
    this.vectors?.remove(chunkId);
  }

  /** Fetches title and source of documents first seen through incremental changes. */
  async resolveDocuments(store: Store): Promise<void> {
    if (this.unknownDocuments.size === 0) return;
    const ids = [...this.unknownDocuments];
    this.unknownDocuments.clear();
    for (const id of ids) {
      const doc = await store.getDocument(this.tenantId, id);
      if (doc) this.documents.set(id, { id, title: doc.title, source: doc.source });
    }
  }

  /** Title and source of a document, when known. */
  document(documentId: string): DocumentInfo | undefined {
    return this.documents.get(documentId);
  }

  /** The facts a filter checks, for one chunk. */
  filterable(chunkId: string): FilterableChunk | undefined {
    const chunk = this.chunks.get(chunkId);
    if (!chunk) return undefined;
    const source = this.documents.get(chunk.documentId)?.source ?? stringOrUndefined(chunk.metadata['source']);
    return { documentId: chunk.documentId, source, metadata: chunk.metadata };
  }

  // The ingest pipeline copies the document title into chunk metadata; the stored document's
  // title covers chunks written by anything else.
  private titleFor(chunk: ChunkRecord): string {
    return stringOrUndefined(chunk.metadata['title']) ?? this.documents.get(chunk.documentId)?.title ?? '';
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
