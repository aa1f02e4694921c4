import { describe, expect, it } from 'vitest';
import { fitUnsharedWordOdds, unsharedOddsFeatures, unsharedWords } from './unshared-word-odds.ts';

describe('unshared-word odds', () => {
  it('learn which words left on one side keep a duplicate and which break it', () => {
    const pairs = [
      ...Array.from({ length: 20 }, (_, i) => ({ a: `How do I fix topic${i}?`, b: `How do you fix topic${i}?`, duplicate: true })),
      ...Array.from({ length: 20 }, (_, i) => ({ a: `How do I fix topic${i}?`, b: `How do I not fix topic${i}?`, duplicate: false })),
    ];
    const table = fitUnsharedWordOdds(pairs, 8, 10);
    expect(table.odds['you']).toBeGreaterThan(0.5);
    expect(table.odds['not']).toBeLessThan(-0.5);
    // "topic3" is never unshared: no entry, and it reads 0.
    expect(table.odds['topic3']).toBeUndefined();
    const [min, max, sum] = unsharedOddsFeatures(table, ['how', 'do', 'i', 'fix', 'it'], ['how', 'do', 'you', 'not', 'fix', 'it']);
    expect(min).toBe(table.odds['not']);
    expect(max).toBe(table.odds['you']);
    expect(sum).toBeCloseTo(table.odds['not']! + table.odds['you']! + (table.odds['i'] ?? 0), 6);
  });

  it('ignore words that name Object.prototype members', () => {
    expect(unsharedWords(['constructor'], ['tostring'])).toEqual(['constructor', 'tostring']);
    expect(unsharedOddsFeatures({ kind: 'unshared-word-odds', odds: {} }, ['constructor'], ['__proto__'])).toEqual([0, 0, 0]);
  });
});
