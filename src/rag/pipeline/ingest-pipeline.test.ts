import { afterEach, describe, expect, it } from 'vitest';
import { createPlumb } from '../../app.ts';
import type { EmbeddingModel, EmbedOptions, EmbedResult } from '../../core/model.ts';
import type { Plumb } from '../../plumb.ts';
import { createOfflineEmbedder } from '../../providers/offline/embedder-factory.ts';
import { tempDir } from '../../testing/temp-plumb.ts';
import { Retriever } from '../retrieve/index.ts';
import { ingestDocuments } from './ingest-pipeline.ts';
import { VectorBackfill } from './vector-backfill.ts';

/** The real offline embedder, counting the texts it is asked to embed. */
class CountingEmbedder implements EmbeddingModel {
  readonly specificationVersion = 'v1';
  embeddedTexts = 0;
  constructor(private readonly inner: EmbeddingModel) {}
  get provider() { return this.inner.provider; }
  get modelId() { return this.inner.modelId; }
  get dimensions() { return this.inner.dimensions; }
  get maxBatchSize() { return this.inner.maxBatchSize; }
  embed(texts: string[], options?: EmbedOptions): Promise<EmbedResult> {
    this.embeddedTexts += texts.length;
    return this.inner.embed(texts, options);
  }
}

const paragraphs = (n: number, word: string) =>
  Array.from({ length: n }, (_, i) => `## Part ${i}\n\nSection ${i} explains ${word} number ${i} in enough words to stand alone as its own chunk of text.`).join('\n\n');

let plumb: Plumb | undefined;
afterEach(async () => {
  await plumb?.close();
  plumb = undefined;
});

describe('ingest pipeline', () => {
  it('skips unchanged documents, replaces changed ones atomically and keeps the index in step', async () => {
    plumb = await createPlumb({ config: { dataDir: tempDir(), embeddings: { provider: 'none' } }, env: {} });
    const first = await plumb.addDocuments([{ id: 'd', text: 'Zebras graze on the savanna at dawn.' }]);
    expect(first.documents.inserted).toBe(1);
    expect((await plumb.addDocuments([{ id: 'd', text: 'Zebras graze on the savanna at dawn.' }])).documents.unchanged).toBe(1);

    const replaced = await plumb.addDocuments([{ id: 'd', text: 'Giraffes browse acacia trees at noon.' }]);
    expect(replaced.documents.replaced).toBe(1);
    expect((await plumb.getDocument('d')).document.version).toBe(2);
    expect((await plumb.retrieve('zebras savanna', { mode: 'bm25' })).chunks).toHaveLength(0);
    expect((await plumb.retrieve('giraffes acacia', { mode: 'bm25' })).chunks[0]!.chunk.documentId).toBe('d');

    await plumb.deleteDocument('d');
    expect((await plumb.retrieve('giraffes acacia', { mode: 'bm25' })).chunks).toHaveLength(0);
    await expect(plumb.deleteDocument('d')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('rejects an empty text with a reason, and an ingest run is recorded', async () => {
    plumb = await createPlumb({ config: { dataDir: tempDir(), embeddings: { provider: 'none' } }, env: {} });
    await expect(plumb.addDocuments([{ text: '   ' }])).rejects.toMatchObject({ code: 'bad_request' });
    await plumb.addDocuments([{ id: 'x', text: 'Some text worth keeping.' }]);
    const runs = await plumb.store.listIngestRuns('default');
    expect(runs[0]).toMatchObject({ status: 'completed' });
    expect((runs[0]!.report as { documents: { inserted: number } }).documents.inserted).toBe(1);
  });

  it('never re-embeds unchanged text: vectors come from the cache by content hash', async () => {
    const dataDir = tempDir();
    plumb = await createPlumb({ config: { dataDir, embeddings: { provider: 'none' }, ingest: { chunk: { maxTokens: 48, overlapTokens: 0 } } }, env: {} });
    const store = plumb.store;
    const embedder = new CountingEmbedder(createOfflineEmbedder());
    const retriever = new Retriever(store, { embedder });
    const backfill = new VectorBackfill(store, embedder, retriever);
    const deps = { store, retriever, backfill, chunking: { maxTokens: 48, overlapTokens: 0, encoding: 'o200k_base' as const }, loading: {}, exclude: [] };
    const tenantId = 'default';

    const v1 = await ingestDocuments(deps, [{ id: 'doc', source: 'api', mimeType: 'text/markdown', text: paragraphs(4, 'rivers') }], { tenantId, waitForVectors: true });
    expect(v1.chunks).toBeGreaterThanOrEqual(4);
    const afterFirst = embedder.embeddedTexts;
    // Load the live index now, so the changes below must be applied to it incrementally.
    await retriever.warm(tenantId);
    expect(afterFirst).toBe(v1.chunks);

    // Change one section: only its chunk is embedded again.
    const changed = paragraphs(4, 'rivers').replace('Section 2 explains rivers', 'Section 2 explains glaciers');
    await ingestDocuments(deps, [{ id: 'doc', source: 'api', mimeType: 'text/markdown', text: changed }], { tenantId, waitForVectors: true });
    expect(embedder.embeddedTexts - afterFirst).toBe(1);
    // Unchanged chunks keep their vectors in the live index too, not only in the store.
    const stats = retriever.indexStats(tenantId)!;
    expect(stats.chunks).toBe(4);
    expect(stats.vectors).toBe(stats.chunks);
    const rivers = await retriever.retrieve(tenantId, 'Section 3 explains rivers', { mode: 'vector' });
    expect(rivers.mode).toBe('vector');
    expect(rivers.chunks.map((c) => c.chunk.text).join(' ')).toContain('Section 3 explains rivers');

    // Delete and add the same text again: every vector comes from the cache.
    await store.deleteDocument(tenantId, 'doc');
    const before = embedder.embeddedTexts;
    await ingestDocuments(deps, [{ id: 'doc', source: 'api', mimeType: 'text/markdown', text: changed }], { tenantId, waitForVectors: true });
    expect(embedder.embeddedTexts).toBe(before);
    expect((await store.chunksMissingVectors(tenantId, embedder.modelId, 10))).toHaveLength(0);

    const hybrid = await retriever.retrieve(tenantId, 'glaciers', { mode: 'hybrid' });
    expect(hybrid.mode).toBe('hybrid');
    expect(hybrid.chunks[0]!.chunk.text).toContain('glaciers');
  }, 30_000);
});
