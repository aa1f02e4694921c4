/** Contract: keyword search stays in step with writes and survives any user text. */
import { describe, expect, it } from 'vitest';
import { documentFixture } from '../store-fixtures.ts';
import { useStore, type OpenStore } from './use-store.ts';

const T = 'tenant-a';

/** Keyword-search behaviour every Store must have. */
export function keywordSearchContract(open: OpenStore): void {
  describe('keyword search', () => {
    const store = useStore(open);

    it('ranks the chunk that matches more terms higher, scores positive, limit respected', async () => {
      const { document, chunks } = documentFixture('d1', [
        'the quick brown fox jumps over the lazy dog',
        'a fox is quick',
        'nothing relevant here at all',
      ]);
      await store().putDocument(T, document, chunks);
      const hits = await store().keywordSearch(T, 'quick brown fox', 10);
      expect(hits.map((h) => h.chunkId)).toEqual([chunks[0]!.id, chunks[1]!.id]);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(hits[1]!.score).toBeGreaterThan(0);
      expect(await store().keywordSearch(T, 'quick brown fox', 1)).toHaveLength(1);
    });

    it('follows replacements and deletions', async () => {
      const v1 = documentFixture('d1', ['kept zebra paragraph', 'walrus paragraph goes away']);
      await store().putDocument(T, v1.document, v1.chunks);
      expect(await store().keywordSearch(T, 'walrus', 10)).toHaveLength(1);
      const v2 = documentFixture('d1', ['kept zebra paragraph', 'penguin paragraph arrives']);
      await store().putDocument(T, v2.document, v2.chunks);
      expect(await store().keywordSearch(T, 'walrus', 10)).toEqual([]);
      expect((await store().keywordSearch(T, 'penguin', 10)).map((h) => h.chunkId)).toEqual([v2.chunks[1]!.id]);
      expect((await store().keywordSearch(T, 'zebra', 10)).map((h) => h.chunkId)).toEqual([v2.chunks[0]!.id]);
      await store().deleteDocument(T, 'd1');
      expect(await store().keywordSearch(T, 'zebra penguin', 10)).toEqual([]);
    });

    it('finds chunks by their document title, including a title changed on replace', async () => {
      const v1 = documentFixture('d1', ['body text only'], { title: 'Aardvark handbook' });
      await store().putDocument(T, v1.document, v1.chunks);
      expect(await store().keywordSearch(T, 'aardvark', 10)).toHaveLength(1);
      const v2 = documentFixture('d1', ['body text only', 'appendix'], { title: 'Okapi handbook' });
      await store().putDocument(T, v2.document, v2.chunks);
      expect(await store().keywordSearch(T, 'aardvark', 10)).toEqual([]);
      expect(await store().keywordSearch(T, 'okapi', 10)).toHaveLength(2);
    });

    it('treats FTS syntax in user text as plain words and never throws', async () => {
      const { document, chunks } = documentFixture('d1', ['rock and roll near the stage', 'say "hello" (loudly) * 🎸']);
      await store().putDocument(T, document, chunks);
      const hostile = ['"', 'AND', 'OR', 'NOT', '*', '(', ')', 'NEAR', 'NEAR(a b)', 'a:b', '^', '-', '🎸', '', '   ', '"unbalanced', 'title:rock'];
      for (const query of hostile) {
        const hits = await store().keywordSearch(T, query, 10);
        expect(Array.isArray(hits), query).toBe(true);
      }
      expect((await store().keywordSearch(T, 'AND', 10)).map((h) => h.chunkId)).toEqual([chunks[0]!.id]);
      expect((await store().keywordSearch(T, 'NEAR', 10)).map((h) => h.chunkId)).toEqual([chunks[0]!.id]);
      expect((await store().keywordSearch(T, '"hello', 10)).map((h) => h.chunkId)).toEqual([chunks[1]!.id]);
      expect(await store().keywordSearch(T, '', 10)).toEqual([]);
      expect(await store().keywordSearch(T, '🎸', 10)).toEqual([]);
    });
  });
}
