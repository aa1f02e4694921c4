import { describe, expect, it } from 'vitest';
import { cosineSimilarity, jaccardSimilarity, maximalMarginalRelevance, type MmrCandidate } from './mmr.ts';

const candidates: MmrCandidate<Float32Array>[] = [
  { id: 'original', relevance: 1.0, item: Float32Array.of(1, 0, 0) },
  { id: 'near-duplicate', relevance: 0.95, item: Float32Array.of(0.99, 0.01, 0) },
  { id: 'different', relevance: 0.8, item: Float32Array.of(0, 1, 0) },
];
const similarity = (a: MmrCandidate<Float32Array>, b: MmrCandidate<Float32Array>): number => cosineSimilarity(a.item, b.item);

describe('maximalMarginalRelevance', () => {
  it('pushes a near-duplicate below a less relevant but different candidate', () => {
    const picked = maximalMarginalRelevance(candidates, 3, { lambda: 0.5, similarity });
    expect(picked.map((c) => c.id)).toEqual(['original', 'different', 'near-duplicate']);
  });

  it('with lambda 1 keeps pure relevance order', () => {
    const picked = maximalMarginalRelevance(candidates, 2, { lambda: 1, similarity });
    expect(picked.map((c) => c.id)).toEqual(['original', 'near-duplicate']);
  });

  it('returns nothing for k 0 or no candidates', () => {
    expect(maximalMarginalRelevance(candidates, 0, { similarity })).toEqual([]);
    expect(maximalMarginalRelevance([], 3, { similarity })).toEqual([]);
  });
});

describe('similarities', () => {
  it('computes cosine and Jaccard by hand', () => {
    expect(cosineSimilarity(Float32Array.of(1, 1), Float32Array.of(1, 0))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(cosineSimilarity(Float32Array.of(0, 0), Float32Array.of(1, 0))).toBe(0);
    expect(jaccardSimilarity(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).toBeCloseTo(2 / 4, 12);
  });
});
