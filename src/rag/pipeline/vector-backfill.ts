/**
 * Fills in chunk vectors after the chunks are stored. Ingest commits text first (so keyword search
 * works at once and a slow embedder never holds a document's transaction open), then this job
 * embeds what is missing in batches, reusing the embedding cache keyed by chunk content hash, so
 * re-ingest never re-embeds unchanged text.
 */
import type { ChunkRecord } from '../../core/document.ts';
import { sha256 } from '../../core/hash.ts';
import type { EmbeddingModel } from '../../core/model.ts';
import type { Store } from '../../core/store.ts';

export interface BackfillProgress {
  done: number;
  /** Chunks embedded by the model in this run (the rest came from the cache). */
  embedded: number;
  cached: number;
}

export interface BackfillResult extends BackfillProgress {
  durationMs: number;
}

export interface VectorSink {
  /** Receives vectors as they are stored (the retriever adds them to its index). */
  addVectors(tenantId: string, vectors: Array<{ chunkId: string; vector: Float32Array }>): void;
}

export class VectorBackfill {
  private readonly running = new Map<string, Promise<BackfillResult>>();

  constructor(
    private readonly store: Store,
    private readonly embedder: EmbeddingModel,
    private readonly sink: VectorSink,
    private readonly batchSize = 256,
  ) {}

  /** Embeds every chunk of the tenant that has no vector yet. Concurrent calls share one run. */
  run(tenantId: string, onProgress?: (p: BackfillProgress) => void): Promise<BackfillResult> {
    const existing = this.running.get(tenantId);
    if (existing) return existing;
    const job = this.fill(tenantId, onProgress).finally(() => this.running.delete(tenantId));
    this.running.set(tenantId, job);
    return job;
  }

  /** Resolves when no backfill is running for the tenant. */
  async idle(tenantId: string): Promise<void> {
    await this.running.get(tenantId)?.catch(() => undefined);
  }

  isRunning(tenantId: string): boolean {
    return this.running.has(tenantId);
  }

  private async fill(tenantId: string, onProgress?: (p: BackfillProgress) => void): Promise<BackfillResult> {
    const started = performance.now();
    const progress: BackfillProgress = { done: 0, embedded: 0, cached: 0 };
    const model = this.embedder.modelId;
    for (;;) {
      const chunks = await this.store.chunksMissingVectors(tenantId, model, this.batchSize);
      if (chunks.length === 0) break;
      const vectors = await this.vectorsFor(tenantId, chunks, progress);
      await this.store.putVectors(tenantId, model, vectors);
      this.sink.addVectors(tenantId, vectors);
      progress.done += chunks.length;
      onProgress?.({ ...progress });
    }
    return { ...progress, durationMs: performance.now() - started };
  }

  private async vectorsFor(
    tenantId: string,
    chunks: ChunkRecord[],
    progress: BackfillProgress,
  ): Promise<Array<{ chunkId: string; vector: Float32Array }>> {
    const model = this.embedder.modelId;
    // The cache key is the hash of exactly the text that is embedded (chunk text plus context).
    const items = chunks.map((chunk) => {
      const text = embeddingText(chunk);
      return { chunk, text, key: sha256(text) };
    });
    const cached = await this.store.getCachedEmbeddings(tenantId, model, [...new Set(items.map((i) => i.key))]);
    const missing = items.filter((i) => !cached.has(i.key));
    // Identical texts (boilerplate, repeated headers) are embedded once.
    const uniqueMissing = [...new Map(missing.map((i) => [i.key, i])).values()];
    for (let i = 0; i < uniqueMissing.length; i += this.embedder.maxBatchSize) {
      const batch = uniqueMissing.slice(i, i + this.embedder.maxBatchSize);
      const { vectors } = await this.embedder.embed(batch.map((b) => b.text), { purpose: 'document' });
      const entries = batch.map((b, j) => ({ contentHash: b.key, vector: vectors[j]! }));
      await this.store.putCachedEmbeddings(tenantId, model, entries);
      for (const e of entries) cached.set(e.contentHash, e.vector);
      progress.embedded += batch.length;
    }
    progress.cached += chunks.length - missing.length;
    return items.map((i) => ({ chunkId: i.chunk.id, vector: cached.get(i.key)! }));
  }
}

/** The text that is embedded for a chunk: its heading path gives short chunks their context. */
export function embeddingText(chunk: ChunkRecord): string {
  const title = typeof chunk.metadata.title === 'string' ? chunk.metadata.title : '';
  const headings = chunk.headingPath.join(' > ');
  return [title, headings, chunk.text].filter(Boolean).join('\n');
}
