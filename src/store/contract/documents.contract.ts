/** Contract: documents and chunks — insert, unchanged, replace, delete, listing and scanning. */
import { describe, expect, it } from 'vitest';
import { documentFixture } from '../store-fixtures.ts';
import { useStore, type OpenStore } from './use-store.ts';

const T = 'tenant-a';

/** Document and chunk behaviour every Store must have. */
export function documentsContract(open: OpenStore): void {
  describe('documents and chunks', () => {
    const store = useStore(open);

    it('inserts a new document at version 1 with all its chunks', async () => {
      const { document, chunks } = documentFixture('d1', ['alpha one', 'beta two', 'gamma three'], { metadata: { lang: 'en' } });
      const result = await store().putDocument(T, document, chunks);
      expect(result.status).toBe('inserted');
      expect(result.removedChunkIds).toEqual([]);
      expect(result.document).toMatchObject({ id: 'd1', tenantId: T, version: 1, chunkCount: 3, title: 'Title of d1', metadata: { lang: 'en' } });
      expect(Date.parse(result.document.createdAt)).not.toBeNaN();
      expect(await store().getDocument(T, 'd1')).toEqual(result.document);
      const stored = await store().getDocumentChunks(T, 'd1');
      expect(stored.map((c) => c.text)).toEqual(['alpha one', 'beta two', 'gamma three']);
      const { vector: _ignored, ...first } = chunks[0]!;
      expect(stored[0]).toEqual({ ...first, tenantId: T });
      expect(await store().countChunks(T)).toBe(3);
      expect(await store().countDocuments(T)).toBe(1);
      expect(await store().listTenants()).toContain(T);
    });

    it('writes nothing when the content hash is unchanged', async () => {
      const { document, chunks } = documentFixture('d1', ['alpha one', 'beta two']);
      const first = await store().putDocument(T, document, chunks);
      const changedMetadataOnly = { ...document, title: 'Another title', metadata: { x: 1 } };
      const again = await store().putDocument(T, changedMetadataOnly, chunks.slice(0, 1));
      expect(again.status).toBe('unchanged');
      expect(again.removedChunkIds).toEqual([]);
      expect(again.document).toEqual(first.document);
      expect(await store().getDocument(T, 'd1')).toEqual(first.document);
      expect(await store().countChunks(T)).toBe(2);
    });

    it('replaces changed chunks atomically, bumps the version and reports removed chunk ids', async () => {
      const v1 = documentFixture('d1', ['kept paragraph', 'old paragraph one', 'old paragraph two']);
      const first = await store().putDocument(T, v1.document, v1.chunks);
      const v2 = documentFixture('d1', ['kept paragraph', 'new paragraph'], { title: 'Renamed' });
      const second = await store().putDocument(T, v2.document, v2.chunks);
      expect(second.status).toBe('replaced');
      expect(second.document.version).toBe(2);
      expect(second.document.chunkCount).toBe(2);
      expect(second.document.title).toBe('Renamed');
      expect(second.document.createdAt).toBe(first.document.createdAt);
      expect(second.removedChunkIds.sort()).toEqual([v1.chunks[1]!.id, v1.chunks[2]!.id].sort());
      const stored = await store().getDocumentChunks(T, 'd1');
      expect(stored.map((c) => c.id)).toEqual(v2.chunks.map((c) => c.id));
      expect(await store().getChunks(T, second.removedChunkIds)).toEqual([]);
      const v3 = documentFixture('d1', ['third version only']);
      expect((await store().putDocument(T, v3.document, v3.chunks)).document.version).toBe(3);
    });

    it('deletes a document with its chunks and returns their ids', async () => {
      const { document, chunks } = documentFixture('d1', ['one', 'two']);
      await store().putDocument(T, document, chunks);
      const removed = await store().deleteDocument(T, 'd1');
      expect(removed?.sort()).toEqual(chunks.map((c) => c.id).sort());
      expect(await store().getDocument(T, 'd1')).toBeNull();
      expect(await store().getChunks(T, chunks.map((c) => c.id))).toEqual([]);
      expect(await store().countChunks(T)).toBe(0);
      expect(await store().deleteDocument(T, 'd1')).toBeNull();
    });

    it('refuses a chunk id owned by another document and writes nothing of the failed document', async () => {
      const a = documentFixture('a', ['shared text']);
      await store().putDocument(T, a.document, a.chunks);
      const b = documentFixture('b', ['own text', 'more']);
      const stolen = { ...b.chunks[1]!, id: a.chunks[0]!.id };
      await expect(store().putDocument(T, b.document, [b.chunks[0]!, stolen])).rejects.toMatchObject({ code: 'conflict' });
      expect(await store().getDocument(T, 'b')).toBeNull();
      expect(await store().countChunks(T)).toBe(1);
      expect((await store().getChunks(T, [a.chunks[0]!.id]))[0]?.documentId).toBe('a');
    });

    it('rejects duplicate chunk ids and a vector without a model', async () => {
      const { document, chunks } = documentFixture('d1', ['one', 'two'], { vectorDims: 3 });
      await expect(store().putDocument(T, document, [chunks[0]!, chunks[0]!], 'm')).rejects.toMatchObject({ code: 'bad_request' });
      await expect(store().putDocument(T, document, chunks)).rejects.toMatchObject({ code: 'bad_request' });
      expect(await store().getDocument(T, 'd1')).toBeNull();
    });

    it('rejects an empty tenant id', async () => {
      await expect(store().countDocuments('')).rejects.toMatchObject({ code: 'bad_request' });
    });

    it('lists documents by source with a literal prefix, limit and offset', async () => {
      for (const [id, source] of [['a', 'web/a.html'], ['b', 'docs/b.md'], ['c', 'docs/c.md'], ['p', 'docs%/p.md']] as const) {
        const { document, chunks } = documentFixture(id, [`text of ${id}`], { source });
        await store().putDocument(T, document, chunks);
      }
      // '%' sorts before '/', so docs%/p.md comes first.
      expect((await store().listDocuments(T)).map((d) => d.id)).toEqual(['p', 'b', 'c', 'a']);
      expect((await store().listDocuments(T, { sourcePrefix: 'docs/' })).map((d) => d.id)).toEqual(['b', 'c']);
      expect((await store().listDocuments(T, { sourcePrefix: 'docs%' })).map((d) => d.id)).toEqual(['p']);
      expect((await store().listDocuments(T, { limit: 2, offset: 1 })).map((d) => d.id)).toEqual(['b', 'c']);
    });

    it('returns getChunks in the order asked, skipping unknown ids', async () => {
      const { document, chunks } = documentFixture('d1', ['one', 'two', 'three']);
      await store().putDocument(T, document, chunks);
      const got = await store().getChunks(T, [chunks[2]!.id, 'nope', chunks[0]!.id]);
      expect(got.map((c) => c.text)).toEqual(['three', 'one']);
    });

    it('scans every chunk once in a stable order across pages, default limit 1000', async () => {
      const paragraphs = Array.from({ length: 1203 }, (_, i) => `paragraph number ${i}`);
      const { document, chunks } = documentFixture('big', paragraphs);
      await store().putDocument(T, document, chunks);
      const firstPage = await store().scanChunks(T);
      expect(firstPage.chunks).toHaveLength(1000);
      expect(firstPage.nextCursor).not.toBeNull();
      const seen = firstPage.chunks.map((c) => c.id);
      let cursor = firstPage.nextCursor;
      while (cursor !== null) {
        const page = await store().scanChunks(T, { cursor, limit: 60 });
        seen.push(...page.chunks.map((c) => c.id));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(chunks.map((c) => c.id));
      const again = await store().scanChunks(T, { limit: 5 });
      expect(again.chunks.map((c) => c.id)).toEqual(seen.slice(0, 5));
    });

    it('rejects a scan cursor it did not hand out', async () => {
      await expect(store().scanChunks(T, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'bad_request' });
    });
  });
}
