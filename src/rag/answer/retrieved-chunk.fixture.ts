/** Builds RetrievedChunk values for tests, as the retriever would return them. */
import type { RetrievedChunk } from '../../core/document.ts';
import { getTokenizer } from '../../core/tokenizer.ts';

export interface FixtureChunk {
  id: string;
  text: string;
  title?: string | null;
  documentId?: string;
  source?: string;
  charStart?: number;
}

/** RetrievedChunks ranked 1..n in the given order. */
export function retrievedChunks(chunks: FixtureChunk[]): RetrievedChunk[] {
  const tokenizer = getTokenizer();
  return chunks.map((c, index) => {
    const documentId = c.documentId ?? `doc-${c.id}`;
    const charStart = c.charStart ?? 0;
    return {
      chunk: {
        id: c.id,
        tenantId: 'test',
        documentId,
        ordinal: 0,
        text: c.text,
        headingPath: [],
        charStart,
        charEnd: charStart + c.text.length,
        tokenCount: tokenizer.count(c.text),
        contentHash: `hash-${c.id}`,
        metadata: {},
      },
      rank: index + 1,
      score: 1 / (index + 1),
      signals: {},
      document: { id: documentId, title: c.title === undefined ? `Title of ${c.id}` : c.title, source: c.source ?? `docs/${c.id}.md` },
    };
  });
}
