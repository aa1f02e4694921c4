/**
 * What a generator reads: documents as loaders produce them, or chunks that already have ids.
 * Document ids are derived exactly as ingest derives them, so a generated golden set's
 * relevantDocumentIds name the documents `plumb ingest` stores for the same files.
 */
import type { DocumentInput } from '../../core/document.ts';
import { documentIdFor } from '../../rag/pipeline/chunk-identity.ts';

/** A chunk (or any text) with the ids retrieval will report for it. */
export interface ChunkSource {
  documentId: string;
  text: string;
  chunkId?: string;
  source?: string;
}

export type GenerationInput = DocumentInput | ChunkSource;

/** One text to generate from, with the ids a golden case should name. */
export interface SourceText {
  documentId: string;
  chunkId?: string;
  source: string;
  text: string;
}

/** Normalises documents and chunks to SourceTexts, in input order. */
export function toSourceTexts(inputs: readonly GenerationInput[]): SourceText[] {
  return inputs.map((input) => {
    if ('documentId' in input) {
      return {
        documentId: input.documentId,
        source: input.source ?? input.documentId,
        text: input.text,
        ...(input.chunkId === undefined ? {} : { chunkId: input.chunkId }),
      };
    }
    return { documentId: documentIdFor(input), source: input.source, text: input.text };
  });
}
