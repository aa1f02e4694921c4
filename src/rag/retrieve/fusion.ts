/**
 * Combining ranked lists from several retrievers. Weighted reciprocal rank fusion (Cormack et
 * al. 2009) uses ranks only, so BM25 scores and cosine similarities never need a common scale.
 * Rank-only fusion is a poor fit when one retriever is much weaker, though: on SciFact the
 * offline SIF vectors (nDCG@10 0.32 vs BM25 0.70) pull RRF down to 0.58–0.65 at any weight,
 * while a weighted score blend, which sees how confident each side is, edges above BM25
 * (bench/scifact/RESULTS.md). Both are here; the retriever defaults to the blend.
 */
import type { ScoredId } from './bm25-index.ts';

export interface RankedList {
  /** Retriever name, e.g. "bm25" or "vector"; keys the per-list ranks in the result. */
  name: string;
  /** Ids best first; a list may be shorter than the others. */
  ids: readonly string[];
  /** Multiplies this list's contribution. Default 1. */
  weight?: number;
  /** Scores parallel to `ids` (needed by score-based fusion only). */
  scores?: readonly number[];
}

export interface FusedItem {
  id: string;
  score: number;
  /** 1-based rank of the id in each list that contained it. */
  ranks: Record<string, number>;
}

/** Default RRF constant: damps the head of each list so one retriever cannot dominate. */
export const DEFAULT_RRF_K = 60;

/** Weighted RRF: score(d) = Σ weight_l / (k + rank_l(d)); ties break by best single rank, then id. */
export function reciprocalRankFusion(lists: readonly RankedList[], k: number = DEFAULT_RRF_K): FusedItem[] {
  const fused = new Map<string, FusedItem>();
  for (const list of lists) {
    const weight = list.weight ?? 1;
    list.ids.forEach((id, index) => {
      const rank = index + 1;
      let item = fused.get(id);
      if (!item) fused.set(id, (item = { id, score: 0, ranks: {} }));
      // A retriever that lists an id twice only counts its best rank.
      if (item.ranks[list.name] !== undefined) return;
      item.ranks[list.name] = rank;
      item.score += weight / (k + rank);
    });
  }
  return sortFused(fused);
}

/**
 * Convex blend of min-max normalised scores: Σ weight_l · (s − min_l) / (max_l − min_l).
 * An id missing from a list gets 0 from it.
 */
export function normalizedScoreFusion(lists: readonly RankedList[]): FusedItem[] {
  const fused = new Map<string, FusedItem>();
  for (const list of lists) {
    const weight = list.weight ?? 1;
    const scores = list.scores ?? list.ids.map((_, i) => -i);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    const span = max - min;
    list.ids.forEach((id, index) => {
      let item = fused.get(id);
      if (!item) fused.set(id, (item = { id, score: 0, ranks: {} }));
      if (item.ranks[list.name] !== undefined) return;
      item.ranks[list.name] = index + 1;
      const s = scores[index] ?? min;
      item.score += weight * (span > 0 ? (s - min) / span : 1);
    });
  }
  return sortFused(fused);
}

export interface ScoreSource {
  /** Retriever name, e.g. "bm25" or "vector"; keys the per-list ranks in the result. */
  name: string;
  /** This source's hits, best first. */
  hits: readonly ScoredId[];
  weight: number;
  /** 'min-max' maps the hits' scores to [0, 1] (BM25); 'none' keeps them (cosine is already bounded). */
  normalize: 'min-max' | 'none';
  /**
   * Scores a candidate that another source found but this one did not rank (e.g. exact cosine of
   * any chunk with a vector). Without it, or when it returns undefined, the candidate gets this
   * source's lowest normalised score.
   */
  scoreOf?: (id: string) => number | undefined;
}

/**
 * Weighted sum of (normalised) scores over the union of the sources' hits:
 * score(d) = Σ weight_s · norm_s(score_s(d)).
 */
export function weightedScoreFusion(sources: readonly ScoreSource[]): FusedItem[] {
  const fused = new Map<string, FusedItem>();
  for (const source of sources) {
    source.hits.forEach((hit, index) => {
      let item = fused.get(hit.id);
      if (!item) fused.set(hit.id, (item = { id: hit.id, score: 0, ranks: {} }));
      if (item.ranks[source.name] === undefined) item.ranks[source.name] = index + 1;
    });
  }
  for (const source of sources) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const own = new Map<string, number>();
    for (const hit of source.hits) {
      if (!own.has(hit.id)) own.set(hit.id, hit.score);
      if (hit.score < min) min = hit.score;
      if (hit.score > max) max = hit.score;
    }
    const span = max - min;
    const normalise = (s: number): number => (source.normalize === 'none' ? s : span > 0 ? (s - min) / span : 1);
    const floor = source.hits.length === 0 ? 0 : normalise(min);
    for (const item of fused.values()) {
      const raw = own.get(item.id) ?? source.scoreOf?.(item.id);
      item.score += source.weight * (raw === undefined ? floor : normalise(raw));
    }
  }
  return sortFused(fused);
}

function sortFused(fused: Map<string, FusedItem>): FusedItem[] {
  const items = [...fused.values()];
  const bestRank = new Map(items.map((item) => [item, Math.min(...Object.values(item.ranks))]));
  return items.sort((a, b) => b.score - a.score || bestRank.get(a)! - bestRank.get(b)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
