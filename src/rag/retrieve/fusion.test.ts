import { describe, expect, it } from 'vitest';
import { normalizedScoreFusion, reciprocalRankFusion, weightedScoreFusion } from './fusion.ts';

describe('reciprocalRankFusion', () => {
  it('sums weight / (k + rank) per list, hand-computed', () => {
    const fused = reciprocalRankFusion(
      [
        { name: 'bm25', ids: ['a', 'b', 'c'] },
        { name: 'vector', ids: ['c', 'a'], weight: 0.5 },
      ],
      60,
    );
    expect(fused.map((f) => f.id)).toEqual(['a', 'c', 'b']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 0.5 / 62, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 0.5 / 61, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
    expect(fused[1]!.ranks).toEqual({ bm25: 3, vector: 1 });
  });

  it('a zero weight leaves the order to the other list', () => {
    const fused = reciprocalRankFusion([
      { name: 'bm25', ids: ['a', 'b'] },
      { name: 'vector', ids: ['b', 'a'], weight: 0 },
    ]);
    expect(fused.map((f) => f.id)).toEqual(['a', 'b']);
  });
});

describe('normalizedScoreFusion', () => {
  it('blends min-max normalised scores', () => {
    const fused = normalizedScoreFusion([
      { name: 'bm25', ids: ['a', 'b', 'c'], scores: [10, 6, 2] },
      { name: 'vector', ids: ['c', 'b'], scores: [0.9, 0.5], weight: 2 },
    ]);
    // a: 1 + 0; b: 0.5 + 2·0; c: 0 + 2·1
    expect(fused.map((f) => [f.id, f.score])).toEqual([
      ['c', 2],
      ['a', 1],
      ['b', 0.5],
    ]);
  });
});

describe('weightedScoreFusion', () => {
  it('min-max normalises BM25, keeps cosine raw and scores unranked candidates through scoreOf', () => {
    const cosines: Record<string, number> = { a: 0.5, b: 0.9, c: 0.2 };
    const fused = weightedScoreFusion([
      { name: 'bm25', hits: [{ id: 'a', score: 8 }, { id: 'b', score: 4 }, { id: 'c', score: 2 }], weight: 1, normalize: 'min-max' },
      { name: 'vector', hits: [{ id: 'b', score: 0.9 }, { id: 'd', score: 0.8 }], weight: 0.5, normalize: 'none', scoreOf: (id) => cosines[id] },
    ]);
    // a: 1 + 0.5·0.5 = 1.25; b: 1/3 + 0.45; c: 0 + 0.1; d: 0 (bm25 floor) + 0.4
    const byId = Object.fromEntries(fused.map((f) => [f.id, f.score]));
    expect(byId['a']).toBeCloseTo(1.25, 12);
    expect(byId['b']).toBeCloseTo(1 / 3 + 0.45, 12);
    expect(byId['c']).toBeCloseTo(0.1, 12);
    expect(byId['d']).toBeCloseTo(0.4, 12);
    expect(fused.map((f) => f.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(fused[1]!.ranks).toEqual({ bm25: 2, vector: 1 });
    expect(fused[2]!.ranks).toEqual({ vector: 2 });
  });

  it('gives an id missing from a source without scoreOf that source\'s floor', () => {
    const fused = weightedScoreFusion([
      { name: 'bm25', hits: [{ id: 'a', score: 3 }, { id: 'b', score: 1 }], weight: 1, normalize: 'min-max' },
      { name: 'vector', hits: [{ id: 'c', score: 0.7 }], weight: 1, normalize: 'none' },
    ]);
    expect(Object.fromEntries(fused.map((f) => [f.id, f.score]))).toEqual({ a: 1.7, c: 0.7, b: 0.7 });
  });
});
