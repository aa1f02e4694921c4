/**
 * The retriever: BM25 and vector search over per-tenant in-memory indexes, fused with weighted
 * reciprocal rank fusion, optionally diversified with MMR. Indexes load lazily from the store on
 * a tenant's first query and are kept current by `applyChanges` (ingest) and `addVectors`
 * (vector backfill); a tenant's query only ever touches that tenant's index and store rows.
 */
import type { ChunkRecord, RetrievalFilter, RetrievedChunk } from '../../core/document.ts';
import type { EmbeddingModel } from '../../core/model.ts';
import type { Store } from '../../core/store.ts';
import { GenAI } from '../../observe/gen-ai-attributes.ts';
import { span } from '../../observe/tracer.ts';
import type { ScoredId } from './bm25-index.ts';
import { DEFAULT_RRF_K, reciprocalRankFusion, weightedScoreFusion, type FusedItem } from './fusion.ts';
import { cosineSimilarity, DEFAULT_MMR_LAMBDA, jaccardSimilarity, maximalMarginalRelevance, type MmrCandidate } from './mmr.ts';
import { compileFilter, isEmptyFilter } from './retrieval-filter.ts';
import { TenantIndex, type TenantIndexOptions } from './tenant-index.ts';

export type RetrievalMode = 'bm25' | 'vector' | 'hybrid';
export type FusionMethod = 'score' | 'rrf';

export interface RetrieverOptions {
  /** Embeds queries for vector and hybrid mode; without one, both degrade to BM25. */
  embedder?: EmbeddingModel;
  bm25?: { k1?: number; b?: number; stemming?: boolean; stopwords?: boolean; titleWeight?: number };
  /**
   * How hybrid mode combines the two lists: 'score' (default) adds bm25Weight × min-max BM25 and
   * vectorWeight × cosine over the union of both candidate sets; 'rrf' is weighted reciprocal
   * rank fusion with constant rrfK (better suited to an embedder as strong as BM25).
   */
  fusion?: { method?: FusionMethod; rrfK?: number; bm25Weight?: number; vectorWeight?: number };
  /** Candidates each retriever contributes before fusion. */
  candidates?: number;
  /**
   * How often (ms) a query checks whether another process (say `plumb ingest` beside a running
   * server) changed the tenant in the store; a change reloads the index. Default 1000.
   */
  refreshIntervalMs?: number;
}

export interface RetrieveOptions {
  /** Chunks to return. Default 8. */
  k?: number;
  /** Default hybrid. */
  mode?: RetrievalMode;
  filter?: RetrievalFilter;
  /** Re-rank the fused candidates with maximal marginal relevance. */
  mmr?: { lambda?: number };
  /** Overrides the per-retriever candidate depth for this query. */
  candidates?: number;
}

export interface RetrieveResult {
  chunks: RetrievedChunk[];
  /** The mode actually used: hybrid and vector fall back to bm25 without an embedder or vectors. */
  mode: RetrievalMode;
  latencyMs: number;
}

export interface IndexChanges {
  added: Array<ChunkRecord & { vector?: Float32Array }>;
  removedChunkIds: string[];
  /** Vectors for added chunks, when the caller has them apart from the records. */
  vectors?: Array<{ chunkId: string; vector: Float32Array }>;
}

/**
 * Defaults chosen on SciFact train (bench/scifact/RESULTS.md): Porter stemming, Lucene stopwords,
 * classic k1/b, the title (and headings) as a BM25F field of weight 2, and a score blend in which
 * the weak offline vectors nudge BM25 rather than overrule it.
 */
export const RETRIEVER_DEFAULTS = {
  k1: 1.2,
  b: 0.75,
  stemming: true,
  stopwords: true,
  titleWeight: 2,
  fusionMethod: 'score' as FusionMethod,
  rrfK: DEFAULT_RRF_K,
  bm25Weight: 1,
  vectorWeight: 0.3,
  candidates: 100,
} as const;

type Change = { kind: 'changes'; changes: IndexChanges } | { kind: 'vectors'; vectors: Array<{ chunkId: string; vector: Float32Array }> };

interface TenantSlot {
  ready: Promise<TenantIndex>;
  index: TenantIndex | undefined;
  /** Changes that arrived while the index was loading; replayed on top of the loaded state. */
  pending: Change[];
  /** The store's externalRevision read just before this index was loaded. */
  revision: number;
  checkedAt: number;
  /** A reload under way because another process wrote; this process's changes are queued for it too. */
  reload: { pending: Change[]; done: Promise<void> } | undefined;
}

/** Below this many chunks a query waits for a reload (fresh answers); above it, it is served stale meanwhile. */
const WAIT_FOR_RELOAD_BELOW_CHUNKS = 20_000;

/** Hybrid retrieval over a Store with per-tenant in-memory indexes. */
export class Retriever {
  private readonly tenants = new Map<string, TenantSlot>();
  private readonly indexOptions: TenantIndexOptions;
  private readonly fusion: { method: FusionMethod; rrfK: number; bm25Weight: number; vectorWeight: number };
  private readonly candidates: number;
  private readonly embedder: EmbeddingModel | undefined;
  private readonly refreshIntervalMs: number;

  constructor(
    private readonly store: Store,
    options: RetrieverOptions = {},
  ) {
    this.embedder = options.embedder;
    const bm25 = options.bm25 ?? {};
    this.indexOptions = {
      k1: bm25.k1 ?? RETRIEVER_DEFAULTS.k1,
      b: bm25.b ?? RETRIEVER_DEFAULTS.b,
      titleWeight: bm25.titleWeight ?? RETRIEVER_DEFAULTS.titleWeight,
      analyzer: { stem: bm25.stemming ?? RETRIEVER_DEFAULTS.stemming, stopwords: bm25.stopwords ?? RETRIEVER_DEFAULTS.stopwords },
    };
    this.fusion = {
      method: options.fusion?.method ?? RETRIEVER_DEFAULTS.fusionMethod,
      rrfK: options.fusion?.rrfK ?? RETRIEVER_DEFAULTS.rrfK,
      bm25Weight: options.fusion?.bm25Weight ?? RETRIEVER_DEFAULTS.bm25Weight,
      vectorWeight: options.fusion?.vectorWeight ?? RETRIEVER_DEFAULTS.vectorWeight,
    };
    this.candidates = options.candidates ?? RETRIEVER_DEFAULTS.candidates;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 1000;
  }

  /** Ranked chunks of one tenant for a query. */
  async retrieve(tenantId: string, query: string, options: RetrieveOptions = {}): Promise<RetrieveResult> {
    const started = performance.now();
    const k = Math.max(1, Math.floor(options.k ?? 8));
    const requested = options.mode ?? 'hybrid';
    const attributes = { [GenAI.operationName]: 'retrieval', [GenAI.tenantId]: tenantId, 'plumb.retrieval.mode.requested': requested, 'plumb.retrieval.k': k };
    return span('retrieve', attributes, async (active) => {
      const index = await this.indexFor(tenantId);
      await index.resolveDocuments(this.store);
      const mode = this.effectiveMode(requested, index);
      const depth = Math.max(k, options.candidates ?? this.candidates);
      const filter = isEmptyFilter(options.filter) ? undefined : compileFilter(options.filter!, (id) => index.filterable(id));

      let bm25Hits: ScoredId[] = [];
      let vectorHits: ScoredId[] = [];
      let queryVector: Float32Array | undefined;
      if (mode !== 'vector') bm25Hits = index.bm25.search(query, depth, filter);
      if (mode !== 'bm25') {
        queryVector = await this.embedQuery(query);
        vectorHits = index.vectors!.search(queryVector, depth, filter);
      }
      const fused = this.fuse(mode, bm25Hits, vectorHits, index, queryVector);

      const chosen = options.mmr
        ? await this.diversify(index, fused, k, options.mmr.lambda ?? DEFAULT_MMR_LAMBDA)
        : await this.fetch(tenantId, fused.slice(0, k));
      const chunks = chosen.map(({ item, record }, i) => this.present(index, item, record, i + 1, bm25Hits, vectorHits));

      active?.setAttributes({ 'plumb.retrieval.mode': mode, 'plumb.retrieval.hits': chunks.length, 'plumb.retrieval.candidates': fused.length });
      if (mode !== requested) active?.addEvent('retrieval.degraded', { requested, used: mode, reason: this.embedder ? 'no vectors yet' : 'no embedder' });
      return { chunks, mode, latencyMs: performance.now() - started };
    });
  }

  /** Applies what an ingest committed; cheap no-op for tenants whose index is not loaded yet. */
  applyChanges(tenantId: string, changes: IndexChanges): void {
    this.record(tenantId, { kind: 'changes', changes });
  }

  /** Adds vectors stored after their chunks (the vector backfill's sink). */
  addVectors(tenantId: string, vectors: Array<{ chunkId: string; vector: Float32Array }>): void {
    this.record(tenantId, { kind: 'vectors', vectors });
  }

  private record(tenantId: string, change: Change): void {
    const slot = this.tenants.get(tenantId);
    if (!slot) return;
    if (slot.index) applyChange(slot.index, change);
    else slot.pending.push(change);
    slot.reload?.pending.push(change);
  }

  /** Forgets a tenant's index; the next query rebuilds it from the store. */
  invalidate(tenantId: string): void {
    this.tenants.delete(tenantId);
  }

  /** Loads a tenant's index now (e.g. at start-up) instead of on its first query. */
  async warm(tenantId: string): Promise<{ chunks: number; vectors: number }> {
    const index = await this.indexFor(tenantId);
    return { chunks: index.chunkCount, vectors: index.vectorCount };
  }

  /** Size of a tenant's loaded index (undefined when it is not loaded): for health pages and benchmarks. */
  indexStats(tenantId: string): { chunks: number; vectors: number; bm25Bytes: number; vectorBytes: number; vocabulary: number } | undefined {
    const index = this.tenants.get(tenantId)?.index;
    if (!index) return undefined;
    return {
      chunks: index.chunkCount,
      vectors: index.vectorCount,
      bm25Bytes: index.bm25.memoryBytes(),
      vectorBytes: index.vectors?.memoryBytes() ?? 0,
      vocabulary: index.bm25.vocabularySize,
    };
  }

  private async indexFor(tenantId: string): Promise<TenantIndex> {
    const existing = this.tenants.get(tenantId);
    if (!existing) return this.load(tenantId);
    const index = await existing.ready;
    await this.reloadIfChangedElsewhere(tenantId, existing, index);
    return existing.index ?? index;
  }

  /** Reloads a tenant's index when another process wrote to it since it was loaded. */
  private async reloadIfChangedElsewhere(tenantId: string, slot: TenantSlot, index: TenantIndex): Promise<void> {
    const now = performance.now();
    if (!slot.reload && now - slot.checkedAt >= this.refreshIntervalMs) {
      slot.checkedAt = now;
      const revision = await this.store.externalRevision(tenantId);
      if (revision !== slot.revision && !slot.reload) {
        const fresh = new TenantIndex(tenantId, this.indexOptions);
        const reload: NonNullable<TenantSlot['reload']> = {
          pending: [],
          done: fresh.load(this.store, this.embedder?.modelId).then(
            () => {
              for (const change of reload.pending) applyChange(fresh, change);
              slot.index = fresh;
              slot.ready = Promise.resolve(fresh);
              slot.revision = revision;
              slot.reload = undefined;
            },
            () => {
              slot.reload = undefined; // keep serving the old index; the next check tries again
            },
          ),
        };
        slot.reload = reload;
      }
    }
    if (slot.reload && index.chunkCount < WAIT_FOR_RELOAD_BELOW_CHUNKS) await slot.reload.done;
  }

  private async load(tenantId: string): Promise<TenantIndex> {
    const index = new TenantIndex(tenantId, this.indexOptions);
    const slot: TenantSlot = {
      index: undefined,
      pending: [],
      revision: 0,
      checkedAt: performance.now(),
      reload: undefined,
      ready: this.store.externalRevision(tenantId).then(async (revision) => {
        slot.revision = revision;
        await index.load(this.store, this.embedder?.modelId);
        for (const change of slot.pending) applyChange(index, change);
        slot.pending = [];
        slot.index = index;
        return index;
      }),
    };
    // A failed load must not stick: the next query tries again.
    slot.ready.catch(() => {
      if (this.tenants.get(tenantId) === slot) this.tenants.delete(tenantId);
    });
    this.tenants.set(tenantId, slot);
    return slot.ready;
  }

  private fuse(mode: RetrievalMode, bm25: ScoredId[], vector: ScoredId[], index: TenantIndex, queryVector: Float32Array | undefined): FusedItem[] {
    // One list needs no fusion: its own scores are more telling than anything derived from them.
    if (mode !== 'hybrid') {
      const name = mode === 'bm25' ? 'bm25' : 'vector';
      return (mode === 'bm25' ? bm25 : vector).map((h, i) => ({ id: h.id, score: h.score, ranks: { [name]: i + 1 } }));
    }
    const { method, rrfK, bm25Weight, vectorWeight } = this.fusion;
    if (method === 'rrf') {
      return reciprocalRankFusion(
        [
          { name: 'bm25', ids: bm25.map((h) => h.id), weight: bm25Weight },
          { name: 'vector', ids: vector.map((h) => h.id), weight: vectorWeight },
        ],
        rrfK,
      );
    }
    const vectors = index.vectors!;
    return weightedScoreFusion([
      { name: 'bm25', hits: bm25, weight: bm25Weight, normalize: 'min-max' },
      // Exact cosine for BM25 candidates outside the vector top list: cheap (one dot product each).
      { name: 'vector', hits: vector, weight: vectorWeight, normalize: 'none', scoreOf: (id) => vectors.cosine(id, queryVector!) },
    ]);
  }

  private effectiveMode(requested: RetrievalMode, index: TenantIndex): RetrievalMode {
    if (requested === 'bm25') return 'bm25';
    return this.embedder && index.vectorCount > 0 ? requested : 'bm25';
  }

  private async embedQuery(query: string): Promise<Float32Array> {
    const embedder = this.embedder!;
    const attributes = { [GenAI.operationName]: 'embeddings', [GenAI.requestModel]: embedder.modelId, [GenAI.system]: embedder.provider };
    return span('embed', attributes, async (active) => {
      const result = await embedder.embed([query], { purpose: 'query' });
      active?.setAttribute(GenAI.inputTokens, result.usage.inputTokens);
      return result.vectors[0] ?? new Float32Array(embedder.dimensions);
    });
  }

  private async fetch(tenantId: string, items: FusedItem[]): Promise<Array<{ item: FusedItem; record: ChunkRecord }>> {
    const records = new Map((await this.store.getChunks(tenantId, items.map((i) => i.id))).map((r) => [r.id, r]));
    // A chunk deleted between search and fetch is simply dropped.
    return items.flatMap((item) => {
      const record = records.get(item.id);
      return record ? [{ item, record }] : [];
    });
  }

  private async diversify(index: TenantIndex, fused: FusedItem[], k: number, lambda: number): Promise<Array<{ item: FusedItem; record: ChunkRecord }>> {
    const pool = await this.fetch(index.tenantId, fused.slice(0, Math.max(4 * k, 20)));
    const useVectors = index.vectorCount > 0 && pool.every(({ item }) => index.vectors!.has(item.id));
    const candidates: Array<MmrCandidate<{ item: FusedItem; record: ChunkRecord; vector?: Float32Array; terms?: Set<string> }>> = pool.map((entry) => {
      const vector = useVectors ? index.vectors!.get(entry.item.id) : undefined;
      return {
        id: entry.item.id,
        relevance: entry.item.score,
        item: vector ? { ...entry, vector } : { ...entry, terms: new Set(index.analyze(entry.record.text)) },
      };
    });
    const picked = maximalMarginalRelevance(candidates, k, {
      lambda,
      similarity: (a, b) =>
        a.item.vector && b.item.vector ? cosineSimilarity(a.item.vector, b.item.vector) : jaccardSimilarity(a.item.terms ?? new Set(), b.item.terms ?? new Set()),
    });
    return picked.map((c) => ({ item: c.item.item, record: c.item.record }));
  }

  private present(index: TenantIndex, item: FusedItem, record: ChunkRecord, rank: number, bm25: ScoredId[], vector: ScoredId[]): RetrievedChunk {
    const signals: RetrievedChunk['signals'] = {};
    const bm25Rank = item.ranks['bm25'];
    const vectorRank = item.ranks['vector'];
    if (bm25Rank !== undefined) signals.bm25 = { score: bm25[bm25Rank - 1]!.score, rank: bm25Rank };
    if (vectorRank !== undefined) signals.vector = { score: vector[vectorRank - 1]!.score, rank: vectorRank };
    const doc = index.document(record.documentId);
    const source = doc?.source ?? (typeof record.metadata['source'] === 'string' ? record.metadata['source'] : '');
    return { chunk: record, rank, score: item.score, signals, document: { id: record.documentId, title: doc?.title ?? null, source } };
  }
}

function applyChange(index: TenantIndex, change: Change): void {
  if (change.kind === 'vectors') {
    for (const { chunkId, vector } of change.vectors) index.addVector(chunkId, vector);
    return;
  }
  const { added, removedChunkIds, vectors } = change.changes;
  for (const id of removedChunkIds) index.removeChunk(id);
  for (const chunk of added) {
    const { vector, ...record } = chunk;
    index.addChunk(record);
    if (vector) index.addVector(record.id, vector);
  }
  for (const { chunkId, vector } of vectors ?? []) index.addVector(chunkId, vector);
}
