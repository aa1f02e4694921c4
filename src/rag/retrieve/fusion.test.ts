import { describe, expect, it } from 'vitest';
import { normalizedScoreFusion, reciprocalRankFusion } from './fusion.ts';

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
