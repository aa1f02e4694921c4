import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { pairedBootstrapDiff } from './paired-difference.ts';
import { seededRandom } from './seeded-random.ts';

/** Per-case scores with large between-case variance, as real golden sets have. */
function runs(n: number, shift: number, seed: number): { a: Map<string, number>; b: Map<string, number> } {
  const random = seededRandom(seed);
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const difficulty = random();
    a.set(`q${i}`, difficulty + (random() - 0.5) * 0.1);
    b.set(`q${i}`, difficulty + shift + (random() - 0.5) * 0.1);
  }
  return { a, b };
}

describe('pairedBootstrapDiff', () => {
  it('detects a real shift that an unpaired comparison would drown in case variance', () => {
    const { a, b } = runs(200, -0.03, 1);
    const result = pairedBootstrapDiff(a, b);
    expect(result.n).toBe(200);
    expect(result.meanDiff).toBeCloseTo(-0.03, 2);
    expect(result.ci95[1]).toBeLessThan(0);
    expect(result.pValue).toBeLessThan(0.01);
    expect(result.pValueMethod).toBe('monte-carlo');
  });

  it('does not call a null difference significant', () => {
    const { a, b } = runs(200, 0, 2);
    const result = pairedBootstrapDiff(a, b);
    expect(result.ci95[0]).toBeLessThan(0);
    expect(result.ci95[1]).toBeGreaterThan(0);
    expect(result.pValue).toBeGreaterThan(0.05);
  });

  it('computes the exact sign-flip p-value for small n', () => {
    // Diffs +1, +1, +1: of the 8 sign patterns only all-plus and all-minus reach |mean| = 1.
    const a = new Map([['x', 0], ['y', 0], ['z', 0]]);
    const b = new Map([['x', 1], ['y', 1], ['z', 1]]);
    const result = pairedBootstrapDiff(a, b);
    expect(result).toMatchObject({ meanDiff: 1, ci95: [1, 1], n: 3, pValue: 0.25, pValueMethod: 'exact' });
    expect(pairedBootstrapDiff(a, a).pValue).toBe(1);
  });

  it('compares only shared cases, counts the rest, and is independent of insertion order', () => {
    const a = new Map([['q1', 0.5], ['q2', 0.7], ['only-a', 1]]);
    const b = new Map([['q2', 0.6], ['q1', 0.9], ['b1', 0], ['b2', 0]]);
    const result = pairedBootstrapDiff(a, b);
    expect(result.n).toBe(2);
    expect(result.onlyInA).toBe(1);
    expect(result.onlyInB).toBe(2);
    expect(result.meanDiff).toBeCloseTo(0.15, 12);
    const reversedInsertion = new Map([...b].reverse());
    expect(pairedBootstrapDiff(a, reversedInsertion)).toEqual(result);
  });

  it('refuses two runs with no case in common', () => {
    expect(() => pairedBootstrapDiff(new Map([['a', 1]]), new Map([['b', 1]]))).toThrow(PlumbError);
  });
});
