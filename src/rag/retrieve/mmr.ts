/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): re-orders candidates so that each pick
 * trades relevance against similarity to what is already picked, pushing near-duplicates down.
 */

export interface MmrCandidate<T = unknown> {
  id: string;
  /** Any scale; divided by the best (min-max when some are negative) so it is comparable with similarity. */
  relevance: number;
  item: T;
}

export interface MmrOptions<T> {
  /** 1 = pure relevance, 0 = pure diversity. Default 0.7. */
  lambda?: number;
  /** Similarity in [0, 1]-ish between two candidates (cosine of their vectors, term overlap, …). */
  similarity: (a: MmrCandidate<T>, b: MmrCandidate<T>) => number;
}

export const DEFAULT_MMR_LAMBDA = 0.7;

/** Greedy MMR: picks k candidates maximising λ·rel − (1−λ)·max sim to the picked ones. */
export function maximalMarginalRelevance<T>(candidates: readonly MmrCandidate<T>[], k: number, options: MmrOptions<T>): MmrCandidate<T>[] {
  const lambda = options.lambda ?? DEFAULT_MMR_LAMBDA;
  if (candidates.length === 0 || k <= 0) return [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    if (c.relevance < min) min = c.relevance;
    if (c.relevance > max) max = c.relevance;
  }
  // Dividing by the best keeps proportions (a candidate half as relevant scores 0.5); min-max would
  // force the weakest candidate to 0 and let a near-duplicate of the best beat it.
  const span = max - min;
  const relevance = candidates.map((c) => (min >= 0 ? (max > 0 ? c.relevance / max : 1) : span > 0 ? (c.relevance - min) / span : 1));

  const remaining = candidates.map((_, i) => i);
  // Max similarity of each candidate to the picked set, updated incrementally: O(k·n) similarities.
  const maxSimilarity = new Float64Array(candidates.length);
  const picked: MmrCandidate<T>[] = [];
  while (picked.length < k && remaining.length > 0) {
    let bestPos = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let pos = 0; pos < remaining.length; pos++) {
      const i = remaining[pos]!;
      const penalty = picked.length === 0 ? 0 : maxSimilarity[i]!;
      const score = lambda * relevance[i]! - (1 - lambda) * penalty;
      if (score > bestScore) {
        bestScore = score;
        bestPos = pos;
      }
    }
    const [chosenIndex] = remaining.splice(bestPos, 1);
    const chosen = candidates[chosenIndex!]!;
    picked.push(chosen);
    for (const i of remaining) {
      const sim = options.similarity(candidates[i]!, chosen);
      if (sim > maxSimilarity[i]!) maxSimilarity[i] = sim;
    }
  }
  return picked;
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Jaccard overlap of two term sets: the similarity MMR falls back to when there are no vectors. */
export function jaccardSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const term of small) if (large.has(term)) shared++;
  return shared / (a.size + b.size - shared);
}
