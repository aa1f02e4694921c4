/** Documents and chunks: what ingest produces, the store keeps and retrieval returns. */
import type { JsonObject, JsonPrimitive } from './json.ts';

/** A document as a loader produces it, before chunking. */
export interface DocumentInput {
  /** Stable id chosen by the caller (e.g. a BEIR `_id`); derived from `source` when absent. */
  id?: string;
  /** Where it came from: a file path, a URL, or "api". */
  source: string;
  title?: string;
  text: string;
  /** e.g. text/markdown, text/html, application/pdf: tells the chunker which structure to expect. */
  mimeType: string;
  metadata?: JsonObject;
}

/** A document as stored. */
export interface DocumentRecord {
  id: string;
  tenantId: string;
  source: string;
  title: string | null;
  mimeType: string;
  /** sha256 of the text; an unchanged hash means re-ingest skips the document. */
  contentHash: string;
  /** 1 on first ingest, +1 each time the content changes. */
  version: number;
  metadata: JsonObject;
  charCount: number;
  chunkCount: number;
  tokenCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A chunk as the chunker produces it: offsets index into the document's text. */
export interface ChunkDraft {
  text: string;
  /** Headings above the chunk, outermost first, e.g. ["Install", "From source"]. */
  headingPath: string[];
  charStart: number;
  charEnd: number;
  /** Tokens in `text`, counted with the configured BPE encoding. */
  tokenCount: number;
}

/** A chunk as stored. */
export interface ChunkRecord extends ChunkDraft {
  /** Content-addressed: an unchanged chunk keeps its id when its document is re-ingested. */
  id: string;
  tenantId: string;
  documentId: string;
  /** Position of the chunk in its document, from 0. */
  ordinal: number;
  /** sha256 of the chunk text: the key of the embedding cache. */
  contentHash: string;
  /** The document's metadata plus chunk-level fields; filters match on it. */
  metadata: JsonObject;
}

/** A chunk to write, optionally with its vector (inline embedding). */
export interface NewChunk extends Omit<ChunkRecord, 'tenantId'> {
  vector?: Float32Array;
}

/** A document to write. */
export interface NewDocument {
  id: string;
  source: string;
  title: string | null;
  mimeType: string;
  contentHash: string;
  metadata: JsonObject;
  charCount: number;
  tokenCount: number;
}

/** Restricts retrieval to matching chunks. All given conditions must hold. */
export interface RetrievalFilter {
  documentIds?: string[];
  /** Keeps chunks whose document source starts with this prefix. */
  sourcePrefix?: string;
  /** Equality on metadata keys; an array value means "any of". */
  metadata?: Record<string, JsonPrimitive | JsonPrimitive[]>;
}

/** One retrieval result: the chunk, its final score and the per-retriever scores behind it. */
export interface RetrievedChunk {
  chunk: ChunkRecord;
  /** 1-based rank in the final list. */
  rank: number;
  /** Final score (fused in hybrid mode); only comparable within one result list. */
  score: number;
  /** Per-retriever scores and ranks, for explanations and debugging. */
  signals: { bm25?: { score: number; rank: number }; vector?: { score: number; rank: number } };
  /** Title and source of the chunk's document, for citations. */
  document: { id: string; title: string | null; source: string };
}
