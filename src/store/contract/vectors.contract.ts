/** Contract: chunk vectors and the embedding cache. */
import { describe, expect, it } from 'vitest';
import { documentFixture, vectorFor } from '../store-fixtures.ts';
import { useStore, type OpenStore } from './use-store.ts';

const T = 'tenant-a';
const MODEL = 'test-embed-4';

/** The exact bytes of a vector, so -0, NaN and subnormals compare exactly. */
function bytesOf(vector: Float32Array): number[] {
  return [...new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength)];
}

/** Vector and embedding-cache behaviour every Store must have. */
export function vectorsContract(open: OpenStore): void {
  describe('vectors and embedding cache', () => {
    const store = useStore(open);

    it('round-trips vectors bit for bit, including a view at an offset into a larger buffer', async () => {
      const { document, chunks } = documentFixture('d1', ['one', 'two']);
      await store().putDocument(T, document, chunks);
      const backing = new Float32Array([99, -0, 1e-45, 3.4028234663852886e38, Number.NaN, -1.5, Math.PI, 99]);
      const view = backing.subarray(1, 7);
      await store().putVectors(T, MODEL, [
        { chunkId: chunks[0]!.id, vector: view },
        { chunkId: chunks[1]!.id, vector: new Float32Array([1, 2, 3, 4, 5, 6]) },
      ]);
      const page = await store().scanVectors(T, MODEL);
      const byId = new Map(page.vectors.map((v) => [v.chunkId, v.vector]));
      expect(byId.get(chunks[0]!.id)).toBeInstanceOf(Float32Array);
      expect(bytesOf(byId.get(chunks[0]!.id)!)).toEqual(bytesOf(view));
      expect([...byId.get(chunks[1]!.id)!]).toEqual([1, 2, 3, 4, 5, 6]);
      expect(page.nextCursor).toBeNull();
    });

    it('writes inline vectors with the document, keeps them for kept chunks and drops removed ones', async () => {
      const v1 = documentFixture('d1', ['kept', 'dropped'], { vectorDims: 4 });
      await store().putDocument(T, v1.document, v1.chunks, MODEL);
      expect((await store().scanVectors(T, MODEL)).vectors).toHaveLength(2);
      const v2 = documentFixture('d1', ['kept', 'added']);
      await store().putDocument(T, v2.document, v2.chunks, MODEL);
      const vectors = (await store().scanVectors(T, MODEL)).vectors;
      expect(vectors.map((v) => v.chunkId)).toEqual([v1.chunks[0]!.id]);
      expect([...vectors[0]!.vector]).toEqual([...vectorFor('kept', 4)]);
      expect((await store().chunksMissingVectors(T, MODEL, 10)).map((c) => c.id)).toEqual([v2.chunks[1]!.id]);
      await store().deleteDocument(T, 'd1');
      expect((await store().scanVectors(T, MODEL)).vectors).toEqual([]);
    });

    it('pages through vectors by cursor and keeps models apart', async () => {
      const paragraphs = Array.from({ length: 25 }, (_, i) => `vector paragraph ${i}`);
      const { document, chunks } = documentFixture('d1', paragraphs, { vectorDims: 3 });
      await store().putDocument(T, document, chunks, MODEL);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store().scanVectors(T, MODEL, { cursor, limit: 10 });
        expect(page.vectors.length).toBeLessThanOrEqual(10);
        seen.push(...page.vectors.map((v) => v.chunkId));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen.sort()).toEqual(chunks.map((c) => c.id).sort());
      expect((await store().scanVectors(T, 'other-model')).vectors).toEqual([]);
      expect(await store().chunksMissingVectors(T, 'other-model', 100)).toHaveLength(25);
      expect(await store().chunksMissingVectors(T, MODEL, 100)).toEqual([]);
    });

    it('refuses vectors of a different length under the same model, and vectors for unknown chunks', async () => {
      const { document, chunks } = documentFixture('d1', ['one', 'two'], { vectorDims: 3 });
      await store().putDocument(T, document, chunks.slice(0, 1), MODEL);
      await expect(store().putVectors(T, MODEL, [{ chunkId: chunks[0]!.id, vector: new Float32Array(5) }])).rejects.toMatchObject({
        code: 'bad_request',
      });
      await expect(store().putVectors(T, MODEL, [{ chunkId: 'no-such-chunk', vector: new Float32Array(3) }])).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('caches embeddings by model and content hash', async () => {
      const vector = new Float32Array([0.25, -0.5, 0.125]);
      await store().putCachedEmbeddings(T, MODEL, [{ contentHash: 'h1', vector }]);
      const hits = await store().getCachedEmbeddings(T, MODEL, ['h1', 'h2']);
      expect([...hits.keys()]).toEqual(['h1']);
      expect([...hits.get('h1')!]).toEqual([0.25, -0.5, 0.125]);
      expect((await store().getCachedEmbeddings(T, 'other-model', ['h1'])).size).toBe(0);
      await store().putCachedEmbeddings(T, MODEL, [{ contentHash: 'h1', vector: new Float32Array([1, 2, 3]) }]);
      expect([...(await store().getCachedEmbeddings(T, MODEL, ['h1'])).get('h1')!]).toEqual([1, 2, 3]);
    });
  });
}
