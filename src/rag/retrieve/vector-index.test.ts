import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { VectorIndex } from './vector-index.ts';

function seededVectors(count: number, dims: number, seed = 7): Float32Array[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dims }, next));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

describe('VectorIndex', () => {
  it.each([true, false])('finds the same top-k as a brute-force cosine ranking (simd %s), across growth', (simd) => {
    const vectors = seededVectors(500, 13);
    const index = new VectorIndex(13, { initialCapacity: 4, simd });
    expect(index.usesSimd).toBe(simd);
    vectors.forEach((v, i) => index.add(`v${i}`, v));
    const query = seededVectors(1, 13, 99)[0]!;
    const expected = vectors
      .map((v, i) => ({ id: `v${i}`, score: cosine(v, query) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
    const hits = index.search(query, 10);
    expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 5));
    expect(index.cosine('v7', query)).toBeCloseTo(cosine(vectors[7]!, query), 5);
    expect(index.cosine('nope', query)).toBeUndefined();
  });

  it('removes by moving the last row into the hole, and re-adding replaces', () => {
    const index = new VectorIndex(2);
    index.add('x', Float32Array.of(1, 0));
    index.add('y', Float32Array.of(0, 1));
    index.add('z', Float32Array.of(1, 1));
    expect(index.remove('x')).toBe(true);
    expect(index.remove('x')).toBe(false);
    expect(index.size).toBe(2);
    expect(index.search(Float32Array.of(1, 0), 3).map((h) => h.id)).toEqual(['z', 'y']);
    index.add('y', Float32Array.of(2, 0));
    expect(index.size).toBe(2);
    expect(index.search(Float32Array.of(1, 0), 1)).toEqual([{ id: 'y', score: expect.closeTo(1, 5) as number }]);
    expect(index.get('y')).toEqual(Float32Array.of(1, 0));
  });

  it('applies the filter and k', () => {
    const index = new VectorIndex(2);
    index.add('near', Float32Array.of(1, 0.1));
    index.add('far', Float32Array.of(0, 1));
    expect(index.search(Float32Array.of(1, 0), 5, (id) => id !== 'near').map((h) => h.id)).toEqual(['far']);
    expect(index.search(Float32Array.of(1, 0), 0)).toEqual([]);
    expect(index.search(Float32Array.of(0, 0), 5)).toEqual([]);
  });

  it('rejects vectors of the wrong dimension', () => {
    const index = new VectorIndex(3);
    expect(() => index.add('a', Float32Array.of(1, 2))).toThrow(PlumbError);
    expect(() => index.search(Float32Array.of(1, 2), 1)).toThrow(/dimensions/);
  });
});
