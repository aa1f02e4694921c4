/** Builders of documents and chunks for store tests (shared by every adapter's contract run). */
import type { NewChunk, NewDocument } from '../core/document.ts';
import { sha256 } from '../core/hash.ts';
import type { JsonObject } from '../core/json.ts';

export interface DocumentFixture {
  document: NewDocument;
  chunks: NewChunk[];
}

export interface DocumentFixtureOptions {
  title?: string | null;
  source?: string;
  metadata?: JsonObject;
  /** Attaches a deterministic vector of this many dimensions to every chunk. */
  vectorDims?: number;
}

/** A document whose chunks are `paragraphs`, with content-addressed chunk ids (document id + text). */
export function documentFixture(id: string, paragraphs: string[], options: DocumentFixtureOptions = {}): DocumentFixture {
  const text = paragraphs.join('\n\n');
  const metadata = options.metadata ?? {};
  let offset = 0;
  const chunks = paragraphs.map((paragraph, ordinal): NewChunk => {
    const chunk: NewChunk = {
      id: sha256(`${id}\n${paragraph}`).slice(0, 24),
      documentId: id,
      ordinal,
      text: paragraph,
      headingPath: ['Doc', `Section ${ordinal}`],
      charStart: offset,
      charEnd: offset + paragraph.length,
      tokenCount: paragraph.split(/\s+/).length,
      contentHash: sha256(paragraph),
      metadata: { ...metadata, ordinal },
    };
    if (options.vectorDims !== undefined) chunk.vector = vectorFor(paragraph, options.vectorDims);
    offset += paragraph.length + 2;
    return chunk;
  });
  return {
    document: {
      id,
      source: options.source ?? `docs/${id}.md`,
      title: options.title === undefined ? `Title of ${id}` : options.title,
      mimeType: 'text/markdown',
      contentHash: sha256(text),
      metadata,
      charCount: text.length,
      tokenCount: chunks.reduce((sum, chunk) => sum + chunk.tokenCount, 0),
    },
    chunks,
  };
}

/** A deterministic vector derived from `text`, with values float32 stores exactly. */
export function vectorFor(text: string, dims: number): Float32Array {
  const hash = sha256(text);
  const vector = new Float32Array(dims);
  for (let i = 0; i < dims; i++) vector[i] = (parseInt(hash.slice((i * 2) % 62, ((i * 2) % 62) + 2), 16) - 128) / 37;
  return vector;
}
