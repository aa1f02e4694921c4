import { describe, expect, it } from 'vitest';
import { getTokenizer } from '../../../core/tokenizer.ts';
import { loadFile } from '../load-file.ts';
import { chunkDocument } from './chunk-document.ts';

const SCIFACT = '/work/shared/datasets/scifact/corpus.jsonl';
const tokenizer = getTokenizer('o200k_base');

describe('chunking real abstracts (SciFact)', () => {
  it('holds the offset and token invariants and covers every abstract', async () => {
    const loaded = await loadFile(SCIFACT);
    if (!loaded.ok) throw new Error(loaded.message);
    // The longest abstracts exercise splitting and overlap; a sample keeps the test fast.
    const longest = [...loaded.documents].sort((a, b) => b.text.length - a.text.length).slice(0, 150);
    let multiChunk = 0;
    for (const doc of longest) {
      const chunks = chunkDocument(doc, { maxTokens: 256, overlapTokens: 32 });
      if (chunks.length > 1) multiChunk++;
      for (const chunk of chunks) {
        expect(doc.text.slice(chunk.charStart, chunk.charEnd)).toBe(chunk.text);
        expect(chunk.tokenCount).toBe(tokenizer.count(chunk.text));
        expect(chunk.tokenCount).toBeLessThanOrEqual(256);
      }
      expect(chunks[0]?.charStart).toBe(0);
      expect(chunks.at(-1)?.charEnd).toBe(doc.text.trimEnd().length);
      for (let i = 1; i < chunks.length; i++) expect(chunks[i]?.charStart).toBeLessThanOrEqual(chunks[i - 1]?.charEnd ?? 0);
    }
    expect(multiChunk).toBe(150);
  });
});
