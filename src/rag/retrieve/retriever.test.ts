import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkRecord, NewChunk } from '../../core/document.ts';
import { sha256 } from '../../core/hash.ts';
import type { JsonObject } from '../../core/json.ts';
import type { TraceRecord } from '../../core/trace.ts';
import { GenAI } from '../../observe/gen-ai-attributes.ts';
import { trace } from '../../observe/tracer.ts';
import { SifEmbedder } from '../../providers/offline/sif-embedder.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { Retriever } from './retriever.ts';

const embedder = new SifEmbedder();
const dirs: string[] = [];

function openStore(): SqliteStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
  dirs.push(dir);
  return SqliteStore.open({ path: path.join(dir, 'plumb.db') });
}

interface DocSpec {
  id: string;
  source: string;
  title?: string;
  chunks: string[];
  metadata?: JsonObject;
}

function chunksOf(spec: DocSpec): NewChunk[] {
  return spec.chunks.map((text, ordinal) => ({
    id: `${spec.id}#${ordinal}`,
    documentId: spec.id,
    ordinal,
    text,
    headingPath: [],
    charStart: 0,
    charEnd: text.length,
    tokenCount: text.split(' ').length,
    contentHash: sha256(text),
    metadata: { ...(spec.metadata ?? {}), source: spec.source, ...(spec.title ? { title: spec.title } : {}) },
  }));
}

/** Writes a document through the Store; with `embed`, its chunks get real SIF vectors inline. */
async function putDoc(store: SqliteStore, tenantId: string, spec: DocSpec, embed = true): Promise<ChunkRecord[]> {
  await store.ensureTenant(tenantId);
  const chunks = chunksOf(spec);
  if (embed) {
    const { vectors } = await embedder.embed(chunks.map((c) => c.text));
    chunks.forEach((c, i) => (c.vector = vectors[i]!));
  }
  const text = spec.chunks.join('\n');
  await store.putDocument(
    tenantId,
    { id: spec.id, source: spec.source, title: spec.title ?? null, mimeType: 'text/plain', contentHash: sha256(text), metadata: spec.metadata ?? {}, charCount: text.length, tokenCount: 1 },
    chunks,
    embed ? embedder.modelId : undefined,
  );
  return chunks.map(({ vector: _vector, ...c }) => ({ ...c, tenantId }));
}

const corpus: DocSpec[] = [
  { id: 'vaccines', source: 'docs/health/vaccines.md', title: 'Vaccines', chunks: ['Measles vaccination prevents measles outbreaks in children.'], metadata: { lang: 'en', tags: ['health'] } },
  { id: 'cooking', source: 'docs/food/pasta.md', title: 'Pasta', chunks: ['Boil the pasta in salted water for ten minutes.'], metadata: { lang: 'en' } },
  { id: 'impfung', source: 'docs/health/impfung.md', title: 'Impfung', chunks: ['Measles vaccination schedules for children in Germany.'], metadata: { lang: 'de' } },
];

describe('Retriever over a real SqliteStore', () => {
  let store: SqliteStore;
  beforeAll(async () => {
    store = openStore();
    for (const spec of corpus) await putDoc(store, 'acme', spec);
    await putDoc(store, 'globex', { id: 'secret', source: 'docs/secret.md', chunks: ['Measles vaccination secret plan of globex.'] });
  });
  afterAll(async () => {
    await store.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('returns ranked hybrid hits with signals and document facts, never another tenant\'s chunks', async () => {
    const retriever = new Retriever(store, { embedder });
    const result = await retriever.retrieve('acme', 'measles vaccination children', { k: 5 });
    expect(result.mode).toBe('hybrid');
    // The vector side ranks every chunk, so the unrelated one comes last rather than not at all.
    expect(result.chunks.slice(0, 2).map((c) => c.chunk.documentId).sort()).toEqual(['impfung', 'vaccines']);
    expect(result.chunks.map((c) => c.chunk.documentId)[2]).toBe('cooking');
    expect(result.chunks.every((c) => c.chunk.tenantId === 'acme')).toBe(true);
    const top = result.chunks[0]!;
    expect(top.rank).toBe(1);
    expect(top.signals.bm25?.rank).toBeGreaterThan(0);
    expect(top.signals.vector?.score).toBeGreaterThan(0);
    expect(top.document.source).toMatch(/^docs\/health\//);
    expect(result.latencyMs).toBeGreaterThan(0);

    expect(retriever.indexStats('acme')).toMatchObject({ chunks: 3, vectors: 3 });
    expect(retriever.indexStats('acme')!.bm25Bytes).toBeGreaterThan(0);
    expect(retriever.indexStats('globex')).toBeUndefined();
    const other = await retriever.retrieve('globex', 'measles vaccination children', { k: 5 });
    expect(other.chunks.map((c) => c.chunk.id)).toEqual(['secret#0']);
  });

  it('filters by document ids, source prefix and metadata (scalar, any-of and array-valued)', async () => {
    const retriever = new Retriever(store, { embedder });
    const ids = async (filter: Parameters<Retriever['retrieve']>[2]) =>
      (await retriever.retrieve('acme', 'measles vaccination pasta', { k: 5, ...filter })).chunks.map((c) => c.chunk.documentId).sort();
    expect(await ids({ filter: { documentIds: ['cooking'] } })).toEqual(['cooking']);
    expect(await ids({ filter: { sourcePrefix: 'docs/health/' } })).toEqual(['impfung', 'vaccines']);
    expect(await ids({ filter: { metadata: { lang: 'de' } } })).toEqual(['impfung']);
    expect(await ids({ filter: { metadata: { lang: ['de', 'en'] }, sourcePrefix: 'docs/food' } })).toEqual(['cooking']);
    expect(await ids({ filter: { metadata: { tags: 'health' } } })).toEqual(['vaccines']);
    expect(await ids({ mode: 'vector', filter: { metadata: { lang: 'fr' } } })).toEqual([]);
  });

  it('fuses by score blend by default and by weighted RRF when configured', async () => {
    const blended = await new Retriever(store, { embedder, fusion: { bm25Weight: 1, vectorWeight: 0.5 } }).retrieve('acme', 'measles vaccination', { k: 3 });
    for (const hit of blended.chunks) {
      // The top BM25 hit scores 1 (min-max) plus half its cosine; cosine is exact for every candidate.
      if (hit.signals.bm25?.rank === 1) expect(hit.score).toBeGreaterThanOrEqual(1);
    }
    const rrf = await new Retriever(store, { embedder, fusion: { method: 'rrf', rrfK: 10, bm25Weight: 1, vectorWeight: 0.5 } }).retrieve('acme', 'measles vaccination', { k: 3 });
    for (const hit of rrf.chunks) {
      const expected = (hit.signals.bm25 ? 1 / (10 + hit.signals.bm25.rank) : 0) + (hit.signals.vector ? 0.5 / (10 + hit.signals.vector.rank) : 0);
      expect(hit.score).toBeCloseTo(expected, 12);
    }
  });

  it('degrades hybrid to bm25 without an embedder, and says so', async () => {
    const retriever = new Retriever(store);
    const result = await retriever.retrieve('acme', 'pasta', { k: 2 });
    expect(result.mode).toBe('bm25');
    expect(result.chunks[0]!.chunk.documentId).toBe('cooking');
    expect(result.chunks[0]!.signals.vector).toBeUndefined();
  });

  it('records retrieve and embed spans with GenAI attributes', async () => {
    const retriever = new Retriever(store, { embedder });
    const traces: TraceRecord[] = [];
    await trace('test', { tenantId: 'acme', sink: (t) => void traces.push(t) }, () => retriever.retrieve('acme', 'measles', { k: 3 }));
    const spans = traces[0]!.spans;
    const retrieve = spans.find((s) => s.name === 'retrieve')!;
    const embed = spans.find((s) => s.name === 'embed')!;
    expect(retrieve.attributes).toMatchObject({ [GenAI.operationName]: 'retrieval', 'plumb.retrieval.mode': 'hybrid', 'plumb.retrieval.k': 3, 'plumb.retrieval.hits': 3 });
    expect(embed.attributes).toMatchObject({ [GenAI.operationName]: 'embeddings', [GenAI.requestModel]: embedder.modelId });
    expect(embed.attributes[GenAI.inputTokens]).toBeGreaterThan(0);
    expect(embed.parentSpanId).toBe(retrieve.spanId);
  });
});

describe('Retriever kept current by applyChanges and addVectors', () => {
  it('adds and removes chunks without a reload, and falls back to bm25 until vectors arrive', async () => {
    const store = openStore();
    const retriever = new Retriever(store, { embedder });
    await putDoc(store, 't', { id: 'a', source: 'a.md', chunks: ['Solar panels convert sunlight into electricity.'] }, false);
    const first = await retriever.retrieve('t', 'solar electricity', { k: 3 });
    expect(first.mode).toBe('bm25');
    expect(first.chunks.map((c) => c.chunk.id)).toEqual(['a#0']);

    const added = await putDoc(store, 't', { id: 'b', source: 'b.md', title: 'Wind', chunks: ['Wind turbines produce electricity from wind.'] }, false);
    retriever.applyChanges('t', { added, removedChunkIds: [] });
    const second = await retriever.retrieve('t', 'wind turbines', { k: 3 });
    expect(second.chunks.map((c) => c.chunk.id)).toEqual(['b#0']);
    expect(second.chunks[0]!.document).toEqual({ id: 'b', title: 'Wind', source: 'b.md' });

    const { vectors } = await embedder.embed(['Solar panels convert sunlight into electricity.']);
    await store.putVectors('t', embedder.modelId, [{ chunkId: 'a#0', vector: vectors[0]! }]);
    retriever.addVectors('t', [{ chunkId: 'a#0', vector: vectors[0]! }]);
    const hybrid = await retriever.retrieve('t', 'sunlight', { k: 3 });
    expect(hybrid.mode).toBe('hybrid');

    const removed = await store.deleteDocument('t', 'a');
    retriever.applyChanges('t', { added: [], removedChunkIds: removed! });
    const third = await retriever.retrieve('t', 'solar electricity sunlight', { k: 3, mode: 'bm25' });
    expect(third.chunks.map((c) => c.chunk.id)).toEqual(['b#0']);
    await store.close();
  });

  it('invalidate() reloads from the store', async () => {
    const store = openStore();
    const retriever = new Retriever(store);
    await putDoc(store, 't', { id: 'a', source: 'a.md', chunks: ['Granite is an igneous rock.'] }, false);
    expect((await retriever.retrieve('t', 'basalt')).chunks).toEqual([]);
    // Written behind the retriever's back: invisible until the index is invalidated.
    await putDoc(store, 't', { id: 'b', source: 'b.md', chunks: ['Basalt is a volcanic rock.'] }, false);
    expect((await retriever.retrieve('t', 'basalt')).chunks).toEqual([]);
    retriever.invalidate('t');
    expect((await retriever.retrieve('t', 'basalt')).chunks.map((c) => c.chunk.id)).toEqual(['b#0']);
    await store.close();
  });

  it('MMR moves a near-duplicate below a different relevant chunk', async () => {
    const store = openStore();
    const retriever = new Retriever(store, { embedder });
    await putDoc(store, 't', {
      id: 'd',
      source: 'd.md',
      chunks: [
        'Coffee consumption and heart disease risk in adults: a cohort study of coffee drinkers.',
        'Coffee consumption and heart disease risk in adults: a cohort study of coffee drinkers!',
        'Sleep quality of adults who drink coffee in the evening, and other habits.',
      ],
    });
    const plain = await retriever.retrieve('t', 'coffee adults', { k: 3, mode: 'bm25' });
    expect(plain.chunks.slice(0, 2).map((c) => c.chunk.id).sort()).toEqual(['d#0', 'd#1']);
    // SIF vectors of unrelated sentences still have cosine ~0.75, so diversity needs a low lambda.
    const diverse = await retriever.retrieve('t', 'coffee adults', { k: 3, mode: 'bm25', mmr: { lambda: 0.3 } });
    expect(diverse.chunks[1]!.chunk.id).toBe('d#2');
    expect(diverse.chunks.map((c) => c.rank)).toEqual([1, 2, 3]);
    await store.close();
  });
});
