/** Hybrid retrieval: analyzers, BM25 and vector indexes, fusion, MMR and the Retriever. */
export { createAnalyzer, type Analyzer, type AnalyzerOptions } from './analyzer.ts';
export { Bm25Index, type Bm25FieldOptions, type Bm25Options, type ScoredId } from './bm25-index.ts';
export { VectorIndex } from './vector-index.ts';
export { DEFAULT_RRF_K, normalizedScoreFusion, reciprocalRankFusion, type FusedItem, type RankedList } from './fusion.ts';
export { cosineSimilarity, DEFAULT_MMR_LAMBDA, jaccardSimilarity, maximalMarginalRelevance, type MmrCandidate, type MmrOptions } from './mmr.ts';
export { compileFilter, type FilterableChunk } from './retrieval-filter.ts';
export {
  Retriever,
  RETRIEVER_DEFAULTS,
  type IndexChanges,
  type RetrievalMode,
  type RetrieveOptions,
  type RetrieveResult,
  type RetrieverOptions,
} from './retriever.ts';
