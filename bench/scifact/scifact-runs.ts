/**
 * Builds ranked runs (query id → document ids, best first) for SciFact from plumb's retrieval
 * parts: BM25 variants, SIF vectors, their fusions and RM3 query expansion.
 */
import type { EmbeddingModel } from '../../src/core/model.ts';
import { createAnalyzer, type AnalyzerOptions } from '../../src/rag/retrieve/analyzer.ts';
import { Bm25Index, type ScoredId } from '../../src/rag/retrieve/bm25-index.ts';
import { normalizedScoreFusion, reciprocalRankFusion, weightedScoreFusion } from '../../src/rag/retrieve/fusion.ts';
import { VectorIndex } from '../../src/rag/retrieve/vector-index.ts';
import type { BeirQuery } from '../../src/evals/retrieval-metrics.ts';
import type { CorpusDoc } from './scifact-data.ts';

/** Ranked hits per query, best first. */
export type ScoredRun = Map<string, ScoredId[]>;

export interface Bm25Config {
  k1: number;
  b: number;
  analyzer: AnalyzerOptions;
  /** undefined: title and text as one field; a number: title as its own BM25F field with this weight. */
  titleWeight?: number;
}

export const DEPTH = 100;

/** A BM25 index over the corpus, one entry per document. */
export function buildBm25(corpus: readonly CorpusDoc[], config: Bm25Config): Bm25Index {
  const analyzer = createAnalyzer(config.analyzer);
  if (config.titleWeight === undefined) {
    const index = new Bm25Index({ k1: config.k1, b: config.b, analyzer });
    for (const doc of corpus) index.add(doc.id, { text: `${doc.title} ${doc.text}` });
    return index;
  }
  const index = new Bm25Index({ k1: config.k1, b: config.b, analyzer, fields: { title: { weight: config.titleWeight }, text: {} } });
  for (const doc of corpus) index.add(doc.id, { title: doc.title, text: doc.text });
  return index;
}

/** Top-DEPTH BM25 hits per query. */
export function bm25Run(index: Bm25Index, queries: readonly BeirQuery[]): ScoredRun {
  return new Map(queries.map((q) => [q.id, index.search(q.text, DEPTH)]));
}

/** Embeds title + text of every document in batches. */
export async function embedCorpus(embedder: EmbeddingModel, corpus: readonly CorpusDoc[]): Promise<VectorIndex> {
  const index = new VectorIndex(embedder.dimensions, { initialCapacity: corpus.length });
  for (let start = 0; start < corpus.length; start += 512) {
    const batch = corpus.slice(start, start + 512);
    const { vectors } = await embedder.embed(batch.map((d) => `${d.title}\n${d.text}`), { purpose: 'document' });
    batch.forEach((doc, i) => index.add(doc.id, vectors[i]!));
  }
  return index;
}

/** Query vectors by query id. */
export async function embedQueries(embedder: EmbeddingModel, queries: readonly BeirQuery[]): Promise<Map<string, Float32Array>> {
  const { vectors } = await embedder.embed(queries.map((q) => q.text), { purpose: 'query' });
  return new Map(queries.map((q, i) => [q.id, vectors[i]!]));
}

/** Top-`depth` cosine hits per query. */
export function vectorRun(index: VectorIndex, queryVectors: ReadonlyMap<string, Float32Array>, depth = DEPTH): ScoredRun {
  return new Map([...queryVectors].map(([id, vector]) => [id, index.search(vector, depth)]));
}

/** The retriever's default hybrid: min-max BM25 + weight × exact cosine over the union of both lists. */
export function scoreFusionRun(
  bm25: ScoredRun,
  vector: ScoredRun,
  index: VectorIndex,
  queryVectors: ReadonlyMap<string, Float32Array>,
  vectorWeight: number,
  cosineOf: (id: string, query: Float32Array) => number | undefined = (id, q) => index.cosine(id, q),
): ScoredRun {
  const out: ScoredRun = new Map();
  for (const [queryId, hits] of bm25) {
    const q = queryVectors.get(queryId)!;
    const fused = weightedScoreFusion([
      { name: 'bm25', hits, weight: 1, normalize: 'min-max' },
      { name: 'vector', hits: vector.get(queryId) ?? [], weight: vectorWeight, normalize: 'none', scoreOf: (id) => cosineOf(id, q) },
    ]);
    out.set(queryId, fused.slice(0, DEPTH).map((f) => ({ id: f.id, score: f.score })));
  }
  return out;
}

/** Weighted RRF of two runs. */
export function rrfRun(bm25: ScoredRun, vector: ScoredRun, vectorWeight: number, k = 60): ScoredRun {
  const out: ScoredRun = new Map();
  for (const [queryId, hits] of bm25) {
    const fused = reciprocalRankFusion(
      [
        { name: 'bm25', ids: hits.map((h) => h.id) },
        { name: 'vector', ids: (vector.get(queryId) ?? []).map((h) => h.id), weight: vectorWeight },
      ],
      k,
    );
    out.set(queryId, fused.slice(0, DEPTH).map((f) => ({ id: f.id, score: f.score })));
  }
  return out;
}

/** Convex blend of min-max normalised scores of two runs. */
export function scoreBlendRun(bm25: ScoredRun, vector: ScoredRun, vectorWeight: number): ScoredRun {
  const out: ScoredRun = new Map();
  for (const [queryId, hits] of bm25) {
    const other = vector.get(queryId) ?? [];
    const fused = normalizedScoreFusion([
      { name: 'bm25', ids: hits.map((h) => h.id), scores: hits.map((h) => h.score), weight: 1 - vectorWeight },
      { name: 'vector', ids: other.map((h) => h.id), scores: other.map((h) => h.score), weight: vectorWeight },
    ]);
    out.set(queryId, fused.slice(0, DEPTH).map((f) => ({ id: f.id, score: f.score })));
  }
  return out;
}

/** Document ids only, for the metrics. */
export function idsOf(run: ScoredRun): Map<string, string[]> {
  return new Map([...run].map(([q, hits]) => [q, hits.map((h) => h.id)]));
}
