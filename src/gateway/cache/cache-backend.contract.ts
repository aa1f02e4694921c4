/** One contract suite every CacheBackend passes (run by memory-backend.test.ts and redis-backend.test.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheBackend } from './cache-backend.ts';
import type { CacheEntry, SemanticEntry } from './cached-answer.ts';

const answer = (text: string): CacheEntry['answer'] => ({ text, toolCalls: [], finishReason: 'stop', model: 'm', provider: 'p', usage: { inputTokens: 3, outputTokens: 2 }, usd: 0.001 });

function semantic(id: string, question: string, documentIds?: string[]): SemanticEntry {
  return { id, question, vector: Float32Array.from([0.6, 0.8, 0]), answer: answer(`answer to ${question}`), storedAt: 1, ...(documentIds ? { documentIds } : {}) };
}

/** Runs the contract against backends made by `make` (closed after each test). */
export function cacheBackendContract(name: string, make: () => CacheBackend): void {
  describe(`CacheBackend contract: ${name}`, () => {
    let backend: CacheBackend | undefined;
    const open = (): CacheBackend => (backend = make());
    afterEach(async () => {
      await backend?.close();
      backend = undefined;
    });

    it('stores and returns exact entries per tenant', async () => {
      const b = open();
      await b.setExact('acme', 'k1', { answer: answer('hello'), storedAt: 5 }, 60_000);
      expect((await b.getExact('acme', 'k1'))?.answer.text).toBe('hello');
      expect(await b.getExact('globex', 'k1')).toBeUndefined();
      expect(await b.getExact('acme', 'k2')).toBeUndefined();
    });

    it('expires exact and semantic entries after their TTL', async () => {
      const b = open();
      await b.setExact('acme', 'short', { answer: answer('soon gone'), storedAt: 1 }, 30);
      await b.addSemantic('acme', 'scope', semantic('0001', 'q'), 30);
      await new Promise((r) => setTimeout(r, 60));
      expect(await b.getExact('acme', 'short')).toBeUndefined();
      expect(await b.scanSemantic('acme', 'scope')).toEqual([]);
    });

    it('scans a semantic scope with vectors intact, isolated by tenant and scope', async () => {
      const b = open();
      await b.addSemantic('acme', 'scope-a', semantic('0001', 'first'), 60_000);
      await b.addSemantic('acme', 'scope-a', semantic('0002', 'second'), 60_000);
      await b.addSemantic('acme', 'scope-b', semantic('0003', 'other scope'), 60_000);
      await b.addSemantic('globex', 'scope-a', semantic('0004', 'other tenant'), 60_000);
      const entries = await b.scanSemantic('acme', 'scope-a');
      expect(entries.map((e) => e.question).sort()).toEqual(['first', 'second']);
      expect(Array.from(entries[0]!.vector)).toEqual([Math.fround(0.6), Math.fround(0.8), 0]);
      expect(entries[0]!.answer.text).toMatch(/^answer to/);
    });

    it('drops the exact and semantic entries that depend on invalidated documents, for that tenant only', async () => {
      const b = open();
      await b.setExact('acme', 'rag', { answer: answer('from doc-1'), storedAt: 1, documentIds: ['doc-1', 'doc-2'] }, 60_000);
      await b.setExact('acme', 'plain', { answer: answer('no docs'), storedAt: 1 }, 60_000);
      await b.setExact('globex', 'rag', { answer: answer('globex doc-1'), storedAt: 1, documentIds: ['doc-1'] }, 60_000);
      await b.addSemantic('acme', 'scope', semantic('0001', 'uses doc 1', ['doc-1']), 60_000);
      await b.addSemantic('acme', 'scope', semantic('0002', 'uses doc 3', ['doc-3']), 60_000);
      expect(await b.invalidateDocuments('acme', ['doc-1'])).toBe(2);
      expect(await b.getExact('acme', 'rag')).toBeUndefined();
      expect(await b.getExact('acme', 'plain')).toBeDefined();
      expect(await b.getExact('globex', 'rag')).toBeDefined();
      expect((await b.scanSemantic('acme', 'scope')).map((e) => e.question)).toEqual(['uses doc 3']);
      expect(await b.invalidateDocuments('acme', ['doc-1', 'unknown'])).toBe(0);
    });
  });
}
