/**
 * Combining ranked lists from several retrievers. Weighted reciprocal rank fusion (Cormack et
 * al. 2009) uses ranks only, so BM25 scores and cosine similarities never need a common scale;
 * a min-max score blend is offered beside it because the benchmark compares the two.
 */

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

function sortFused(fused: Map<string, FusedItem>): FusedItem[] {
  const bestRank = (item: FusedItem): number => Math.min(...Object.values(item.ranks));
  return [...fused.values()].sort(
    (a, b) => b.score - a.score || bestRank(a) - bestRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
