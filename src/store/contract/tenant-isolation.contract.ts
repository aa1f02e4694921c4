/** Contract: one tenant can never read, list, search, change or delete another tenant's rows. */
import { describe, expect, it } from 'vitest';
import { documentFixture } from '../store-fixtures.ts';
import { apiKeyFixture, traceFixture } from './records.contract.ts';
import { useStore, type OpenStore } from './use-store.ts';

const A = 'tenant-a';
const B = 'tenant-b';
const MODEL = 'test-embed-4';

/** Tenant isolation every Store must guarantee. */
export function tenantIsolationContract(open: OpenStore): void {
  describe('tenant isolation', () => {
    const store = useStore(open);

    it('hides every kind of tenant A row from tenant B', async () => {
      const { document, chunks } = documentFixture('d1', ['secret armadillo plan', 'more secrets'], { vectorDims: 4 });
      await store().putDocument(A, document, chunks, MODEL);
      await store().putCachedEmbeddings(A, MODEL, [{ contentHash: chunks[0]!.contentHash, vector: new Float32Array([1, 2, 3, 4]) }]);
      await store().saveTrace(traceFixture(A, 'trace-a', 1_000));
      const run = await store().startIngestRun(A, { path: 'a' });
      await store().putApiKey(apiKeyFixture(A, 'key-a'));
      await store().ensureTenant(B);
      const ids = chunks.map((c) => c.id);

      expect(await store().getDocument(B, 'd1')).toBeNull();
      expect(await store().listDocuments(B)).toEqual([]);
      expect(await store().countDocuments(B)).toBe(0);
      expect(await store().getChunks(B, ids)).toEqual([]);
      expect(await store().getDocumentChunks(B, 'd1')).toEqual([]);
      expect((await store().scanChunks(B)).chunks).toEqual([]);
      expect(await store().countChunks(B)).toBe(0);
      expect(await store().keywordSearch(B, 'secret armadillo', 10)).toEqual([]);
      expect((await store().scanVectors(B, MODEL)).vectors).toEqual([]);
      expect(await store().chunksMissingVectors(B, MODEL, 10)).toEqual([]);
      expect((await store().getCachedEmbeddings(B, MODEL, [chunks[0]!.contentHash])).size).toBe(0);
      expect(await store().getTrace(B, 'trace-a')).toBeNull();
      expect(await store().listTraces(B)).toEqual([]);
      expect(await store().listIngestRuns(B)).toEqual([]);
      expect(await store().listApiKeys(B)).toEqual([]);
      expect((await store().listTenants()).sort()).toEqual([A, B]);

      // B cannot change or delete A's rows either.
      expect(await store().deleteDocument(B, 'd1')).toBeNull();
      expect(await store().revokeApiKey(B, 'key-a')).toBe(false);
      await expect(store().finishIngestRun(B, run.id, 'failed', {})).rejects.toMatchObject({ code: 'not_found' });
      await expect(store().putVectors(B, MODEL, [{ chunkId: ids[0]!, vector: new Float32Array(4) }])).rejects.toMatchObject({
        code: 'not_found',
      });

      expect((await store().getDocument(A, 'd1'))?.version).toBe(1);
      expect(await store().countChunks(A)).toBe(2);
      expect(await store().keywordSearch(A, 'armadillo', 10)).toHaveLength(1);
      expect((await store().scanVectors(A, MODEL)).vectors).toHaveLength(2);
      expect((await store().listIngestRuns(A))[0]?.status).toBe('running');
      expect((await store().listApiKeys(A))[0]?.revokedAt).toBeNull();
    });

    it('keeps the same document and chunk ids in two tenants independent', async () => {
      const a = documentFixture('same', ['tenant a words']);
      const b = documentFixture('same', ['tenant b words', 'extra']);
      const bWithAsChunkId = { ...b, chunks: [{ ...b.chunks[0]!, id: a.chunks[0]!.id }, b.chunks[1]!] };
      expect((await store().putDocument(A, a.document, a.chunks)).status).toBe('inserted');
      expect((await store().putDocument(B, bWithAsChunkId.document, bWithAsChunkId.chunks)).status).toBe('inserted');
      expect((await store().getChunks(A, [a.chunks[0]!.id]))[0]?.text).toBe('tenant a words');
      expect((await store().getChunks(B, [a.chunks[0]!.id]))[0]?.text).toBe('tenant b words');
      expect((await store().keywordSearch(A, 'words', 10)).map((h) => h.chunkId)).toEqual([a.chunks[0]!.id]);
      expect(await store().deleteDocument(B, 'same')).toHaveLength(2);
      expect(await store().getDocumentChunks(A, 'same')).toHaveLength(1);
      expect(await store().keywordSearch(A, 'words', 10)).toHaveLength(1);
    });
  });
}
